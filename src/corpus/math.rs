//! TeX math to Typst math: the one place a finding's text becomes Typst,
//! and only as math. No I/O here.
//!
//! A small converter of the TeX analysts write in notes (letters, digits,
//! operators, `^` and `_`, `\frac`, `\sqrt`, `\text`, Greek letters and
//! the common symbols), safe by construction: it writes only single
//! letters, digits, the operators below, quoted text with `"` and `\`
//! escaped, and the names of its own table, so its output is Typst math
//! and nothing else (no `#`, no function outside math). Typst's own parser
//! then checks that output node by node (`verify`). A formula with
//! anything else, nested more than 24 deep or longer than 2,000
//! characters is refused, and printed as its TeX with a warning.
//!
//! Why not the `mitex` crate: 0.2.4 (the one on crates.io) brings some 45
//! crates (syn 1, rkyv, logos) into the build, and its output calls
//! helpers of its own Typst package (`mitexsqrt`…) that would have to be
//! served into the closed World and checked in turn.

/// Whether converted math is typeset: yes, in New Computer Modern Math
/// (fonts/NewCMMath-Regular.otf, the one shipped face with a MATH table).
/// Without it, formulas would print as their TeX.
pub const TYPESET: bool = true;

/// The longest formula converted, in characters: longer TeX is printed as
/// written. Notes' formulas are a line or two.
const MAX_LEN: usize = 2_000;

/// How deep groups and scripts may nest (`{{…}}`, `x^{y^{z}}`): deeper TeX
/// is refused, so neither the converter nor Typst's layout recurses
/// without bound.
const MAX_DEPTH: usize = 24;

/// TeX commands and the Typst math they become.
const COMMANDS: &[(&str, &str)] = &[
    ("alpha", "alpha"),
    ("beta", "beta"),
    ("gamma", "gamma"),
    ("delta", "delta"),
    ("epsilon", "epsilon"),
    ("varepsilon", "epsilon.alt"),
    ("zeta", "zeta"),
    ("eta", "eta"),
    ("theta", "theta"),
    ("iota", "iota"),
    ("kappa", "kappa"),
    ("lambda", "lambda"),
    ("mu", "mu"),
    ("nu", "nu"),
    ("xi", "xi"),
    ("pi", "pi"),
    ("rho", "rho"),
    ("sigma", "sigma"),
    ("tau", "tau"),
    ("upsilon", "upsilon"),
    ("phi", "phi"),
    ("varphi", "phi.alt"),
    ("chi", "chi"),
    ("psi", "psi"),
    ("omega", "omega"),
    ("Gamma", "Gamma"),
    ("Delta", "Delta"),
    ("Theta", "Theta"),
    ("Lambda", "Lambda"),
    ("Xi", "Xi"),
    ("Pi", "Pi"),
    ("Sigma", "Sigma"),
    ("Phi", "Phi"),
    ("Psi", "Psi"),
    ("Omega", "Omega"),
    ("sum", "sum"),
    ("prod", "product"),
    ("int", "integral"),
    ("cdot", "dot.op"),
    ("times", "times"),
    ("div", "div"),
    ("pm", "plus.minus"),
    ("le", "lt.eq"),
    ("leq", "lt.eq"),
    ("ge", "gt.eq"),
    ("geq", "gt.eq"),
    ("neq", "eq.not"),
    ("ne", "eq.not"),
    ("approx", "approx"),
    ("infty", "infinity"),
    ("to", "arrow.r"),
    ("rightarrow", "arrow.r"),
    ("leftarrow", "arrow.l"),
    ("partial", "diff"),
    ("ldots", "dots.h"),
    ("cdots", "dots.c"),
    ("log", "log"),
    ("ln", "ln"),
    ("exp", "exp"),
    ("sin", "sin"),
    ("cos", "cos"),
    ("tan", "tan"),
    ("max", "max"),
    ("min", "min"),
    ("lim", "lim"),
    ("%", "percent"),
    ("quad", "quad"),
    (",", "thin"),
    (";", "med"),
    (" ", "space"),
    ("{", "brace.l"),
    ("}", "brace.r"),
    ("$", "\\$"),
    ("_", "\\_"),
    ("#", "\\#"),
    ("&", "\\&"),
];

/// Converts a TeX formula to Typst math, or says why it cannot.
///
/// ```
/// use brief::corpus::math::convert;
/// assert_eq!(convert("\\frac{3}{8}").unwrap(), "frac(3, 8)");
/// assert_eq!(convert("P_{max}").unwrap(), "P_(m a x)");
/// assert!(convert("\\input{/etc/passwd}").is_err());
/// ```
pub fn convert(tex: &str) -> Result<String, String> {
    if tex.chars().count() > MAX_LEN {
        return Err(format!("formulas longer than {MAX_LEN} characters are not converted"));
    }
    let out = translate(tex)?;
    verify(&out)?;
    Ok(out)
}

/// The converter proper, before [`verify`].
fn translate(tex: &str) -> Result<String, String> {
    let mut parser = Tex { chars: tex.chars().collect(), at: 0, depth: 0 };
    let out = parser.sequence(None)?;
    if out.trim().is_empty() {
        return Err("the formula is empty".into());
    }
    Ok(out.trim().to_string())
}

/// Names the converter writes besides [`COMMANDS`]' (`frac` and `sqrt`
/// are calls, checked apart).
const NAMES: &[&str] = &["slash", "ast", "comma", "semi", "colon"];

/// Checks, with Typst's own parser, that the converter's output is math
/// and nothing else: no `#` or code, no name outside its tables, no call
/// but `frac` with two arguments and `sqrt` with one, no named or spread
/// argument. The converter writes only such output; this is the second
/// lock on the one door from a note's text into Typst.
fn verify(typst: &str) -> Result<(), String> {
    let root = typst::syntax::parse_math(typst);
    if root.diagnosis().errors || root.diagnosis().warnings {
        return Err(format!("its Typst math `{typst}` does not parse"));
    }
    verify_node(&root).map_err(|what| format!("its Typst math `{typst}` holds {what}"))
}

fn verify_node(node: &typst::syntax::SyntaxNode) -> Result<(), String> {
    use typst::syntax::SyntaxKind as K;
    let known = |name: &str| NAMES.contains(&name) || COMMANDS.iter().any(|(_, t)| *t == name);
    match node.kind() {
        K::MathIdent | K::MathFieldAccess if known(&node.full_text()) => Ok(()),
        K::MathCall => {
            let mut parts = node.children();
            let (callee, args) = (parts.next(), parts.next());
            let arity = match callee.map(|c| c.full_text()).as_deref() {
                Some("frac") => 2,
                Some("sqrt") => 1,
                other => return Err(format!("a call of `{}`", other.unwrap_or_default())),
            };
            let args =
                args.filter(|a| a.kind() == K::MathArgs).ok_or("a call without arguments")?;
            let given: Vec<_> = args
                .children()
                .filter(|a| !matches!(a.kind(), K::LeftParen | K::RightParen | K::Comma | K::Space))
                .collect();
            if given.len() != arity {
                return Err(format!("a call with {} arguments", given.len()));
            }
            given.into_iter().try_for_each(verify_node)
        }
        K::Math
        | K::MathText
        | K::MathDelimited
        | K::MathAttach
        | K::MathPrimes
        | K::MathShorthand
        | K::Hat
        | K::Underscore
        | K::LeftParen
        | K::RightParen
        | K::Space
        | K::Escape
        | K::Str
        | K::Text => node.children().try_for_each(verify_node),
        other => Err(format!("`{}` ({other:?})", node.full_text())),
    }
}

struct Tex {
    chars: Vec<char>,
    at: usize,
    /// How many atoms are open around the one being read.
    depth: usize,
}

impl Tex {
    /// Converts up to `until` (or the end).
    fn sequence(&mut self, until: Option<char>) -> Result<String, String> {
        let mut out = String::new();
        while let Some(&c) = self.chars.get(self.at) {
            if Some(c) == until {
                self.at += 1;
                return Ok(out);
            }
            let mut piece = self.atom()?;
            if piece.starts_with(['^', '_']) && (out.is_empty() || out.ends_with(['(', ' '])) {
                piece.insert_str(0, "\"\"");
            }
            // Digits written apart are one number in TeX (`1 2` is 12).
            let number = |c: char| c.is_ascii_digit();
            let joins = out.ends_with(number) && piece.starts_with(number);
            if !out.is_empty()
                && !joins
                && !out.ends_with(['(', ' '])
                && !piece.starts_with([')', ',', '^', '_'])
            {
                out.push(' ');
            }
            out.push_str(&piece);
        }
        match until {
            Some(c) => Err(format!("a `{c}` is missing")),
            None => Ok(out),
        }
    }

    /// One unit: a letter, number, operator, group, script or command,
    /// at most [`MAX_DEPTH`] deep.
    fn atom(&mut self) -> Result<String, String> {
        if self.depth == MAX_DEPTH {
            return Err(format!("formulas nested more than {MAX_DEPTH} deep are not converted"));
        }
        self.depth += 1;
        let atom = self.unit();
        self.depth -= 1;
        atom
    }

    fn unit(&mut self) -> Result<String, String> {
        let c = self.chars[self.at];
        self.at += 1;
        Ok(match c {
            'a'..='z' | 'A'..='Z' | '.' => c.to_string(),
            // A number, with its decimal point only between digits (so
            // never Typst's `..`).
            '0'..='9' => self.number(c),
            '+' | '-' | '=' | '<' | '>' | '!' | '\'' | '|' => c.to_string(),
            // By name: inside `frac(…)` the characters would separate or
            // name arguments.
            ',' => "comma".into(),
            ';' => "semi".into(),
            ':' => "colon".into(),
            // (In Typst math `/` is a fraction.)
            '/' => "slash".into(),
            '*' => "ast".into(),
            '(' | ')' | '[' | ']' => format!("\\{c}"),
            ' ' | '\t' | '\n' => String::new(),
            '{' => format!("({})", self.sequence(Some('}'))?),
            '^' | '_' => format!("{c}({})", self.argument()?),
            '\\' => self.command()?,
            other => return Err(format!("`{other}` is not converted")),
        })
    }

    /// A number from its first digit: digits, with a point between two.
    fn number(&mut self, first: char) -> String {
        let mut out = first.to_string();
        loop {
            match (self.chars.get(self.at), self.chars.get(self.at + 1)) {
                (Some(&d), _) if d.is_ascii_digit() => out.push(d),
                (Some('.'), Some(&d)) if d.is_ascii_digit() => out.push('.'),
                _ => return out,
            }
            self.at += 1;
        }
    }

    /// The argument of a script or command: a group or one unit.
    /// An empty one (`\frac{}{2}`, `\sqrt\left`) is an empty string, a
    /// script alone gets an empty base: never `sqrt()` or `frac(^(2), 3)`.
    fn argument(&mut self) -> Result<String, String> {
        while self.chars.get(self.at) == Some(&' ') {
            self.at += 1;
        }
        let arg = match self.chars.get(self.at) {
            Some('{') => {
                self.at += 1;
                self.sequence(Some('}'))?
            }
            Some(_) => self.atom()?,
            None => return Err("an argument is missing".into()),
        };
        Ok(match arg.trim() {
            "" => "\"\"".into(),
            a if a.starts_with(['^', '_']) => format!("\"\"{a}"),
            _ => arg,
        })
    }

    fn command(&mut self) -> Result<String, String> {
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        if self.at == start && self.at < self.chars.len() {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        match name.as_str() {
            "frac" | "dfrac" | "tfrac" => {
                let (a, b) = (self.argument()?, self.argument()?);
                Ok(format!("frac({a}, {b})"))
            }
            "sqrt" => Ok(format!("sqrt({})", self.argument()?)),
            "text" | "mathrm" | "textrm" | "operatorname" => {
                let text = self.raw_group()?;
                let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
                Ok(format!("\"{escaped}\""))
            }
            "left" | "right" => Ok(String::new()),
            "\\" => Err("line breaks (`\\\\`) are not converted".into()),
            _ => COMMANDS
                .iter()
                .find(|(tex, _)| *tex == name)
                .map(|(_, typst)| typst.to_string())
                .ok_or_else(|| format!("`\\{name}` is not converted")),
        }
    }

    /// A `{…}` group's characters as written (for `\text`).
    fn raw_group(&mut self) -> Result<String, String> {
        if self.chars.get(self.at) != Some(&'{') {
            return Err("`\\text` needs `{…}`".into());
        }
        let end = self.chars[self.at..].iter().position(|&c| c == '}').ok_or("a `}` is missing")?;
        let text: String = self.chars[self.at + 1..self.at + end].iter().collect();
        self.at += end + 1;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_formulas_convert_to_math_alone() {
        for (tex, typst) in [
            ("x^2", "x^(2)"),
            ("3.75 / 2", "3.75 slash 2"),
            ("\\frac{a}{b}", "frac(a, b)"),
            ("P_{max} = \\sum_{i=1}^{n} p_i", "P_(m a x) = sum_(i = 1)^(n) p_(i)"),
            ("\\alpha \\le \\sqrt{2}", "alpha lt.eq sqrt(2)"),
            ("\\text{share \"lost\"}", "\"share \\\"lost\\\"\""),
        ] {
            assert_eq!(convert(tex).as_deref(), Ok(typst), "{tex}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for tex in ["\\input{x}", "#read(\"/etc/passwd\")", "a \\\\ b", "{x", "\\frac{1}", "ä"] {
            assert!(convert(tex).is_err(), "{tex}: {:?}", convert(tex));
        }
        // No output ever holds `#`.
        assert_eq!(convert("\\#").as_deref(), Ok("\\#"));
    }

    #[test]
    fn every_name_of_the_table_is_typst_math() {
        for (tex, typst) in COMMANDS {
            assert_eq!(convert(&format!("\\{tex}")).as_deref(), Ok(*typst), "{tex}");
        }
        for name in NAMES {
            assert_eq!(verify(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn characters_that_separate_arguments_are_named() {
        assert_eq!(
            convert("\\frac{a,b}{c;d:e}").as_deref(),
            Ok("frac(a comma b, c semi d colon e)")
        );
        assert_eq!(convert("\\sqrt{1,000.5}").as_deref(), Ok("sqrt(1 comma 000.5)"));
        // A point is part of a number only between digits: never `..`.
        assert_eq!(convert("1..2").as_deref(), Ok("1 . . 2"));
        assert_eq!(convert("\\text{\\u0041}").as_deref(), Ok("\"\\\\u0041\""));
        // A script with nothing before it gets an empty base.
        assert_eq!(convert("^2 {_i}").as_deref(), Ok("\"\"^(2) (\"\"_(i))"));
    }

    #[test]
    fn nesting_and_length_are_bounded() {
        for tex in [
            "{".repeat(100_000),
            format!("{}x{}", "{".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1)),
            format!("x{}", "^".repeat(100_000)),
            format!("{}1", "\\sqrt".repeat(100_000)),
            format!("{}1{}", "\\frac{".repeat(50_000), "}{2}".repeat(50_000)),
            "x+".repeat(MAX_LEN),
        ] {
            assert!(convert(&tex).is_err(), "{}…", &tex[..20]);
        }
        let deep = format!("{}x{}", "{".repeat(MAX_DEPTH - 1), "}".repeat(MAX_DEPTH - 1));
        assert!(convert(&deep).is_ok());
    }

    #[test]
    fn the_check_refuses_anything_but_math() {
        for typst in [
            "#read(\"/etc/passwd\")",
            "read(\"/etc/passwd\")",
            "x #import \"a\"",
            "sym.x",
            "frac(a, b, c)",
            "frac(a)",
            "sqrt(x: 1)",
            "frac(..a, b)",
            "mat(1; 2)",
            "a & b",
            "a \\ b",
            "lr(x)",
            "$x$",
            "x <label>",
            "a / b",
            "frac(x",
        ] {
            assert!(verify(typst).is_err(), "{typst}");
        }
    }

    /// Random formulas from TeX's pieces, hostile ones among them: the
    /// converter's own output always passes the check (which is a second
    /// lock, never the one that refuses), and nothing panics.
    #[test]
    fn whatever_converts_is_checked_math() {
        const PIECES: &[&str] = &[
            "x",
            "2",
            ".",
            ",",
            ";",
            ":",
            "'",
            "^",
            "_",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "|",
            "+",
            "-",
            "=",
            "<",
            ">",
            "!",
            "/",
            "*",
            " ",
            "\\frac",
            "\\sqrt",
            "\\text{a\"b}",
            "\\text{#x}",
            "\\alpha",
            "\\le",
            "\\cdot",
            "\\left",
            "\\right",
            "\\,",
            "\\{",
            "\\}",
            "\\$",
            "\\#",
            "\\&",
            "\\_",
            "\\%",
            "\\",
            "#",
            "&",
            "$",
            "\"",
            "\\input",
            "@",
            "~",
            "ä",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut converted = 0;
        for _ in 0..20_000 {
            let mut tex = String::new();
            for _ in 0..(state % 12 + 1) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                tex.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            if let Ok(out) = translate(&tex) {
                assert_eq!(verify(&out), Ok(()), "{tex:?} → {out:?}");
                converted += 1;
            }
        }
        assert!(converted > 1_000, "only {converted} converted");
    }
}
