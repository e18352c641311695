//! TeX math to Typst math: the one place a finding's text becomes Typst,
//! and only as math. No I/O here.
//!
//! A small converter of the TeX analysts write in notes (letters, digits,
//! operators, `^` and `_`, `\frac`, `\sqrt`, `\text`, Greek letters and
//! the common symbols), safe by construction: it writes only single
//! letters, digits, the operators below, quoted text with `"` and `\`
//! escaped, and the names of its own table, so its output is Typst math
//! and nothing else (no `#`, no function outside math). A formula with
//! anything else is refused, and printed as its TeX with a warning.
//!
//! Why not the `mitex` crate: 0.2.4 (the one on crates.io) brings some 45
//! crates (syn 1, rkyv, logos) into the build, and its output calls
//! helpers of its own Typst package (`mitexsqrt`…) that would have to be
//! served into the closed World and checked in turn.

/// Whether converted math is typeset. Not yet: the shipped fonts have no
/// math font (New Computer Modern Math, which Typst uses, is under the
/// GUST licence and 1.3 MB); until one ships, formulas print as their TeX.
pub const TYPESET: bool = false;

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
    let mut parser = Tex { chars: tex.chars().collect(), at: 0 };
    let out = parser.sequence(None)?;
    if out.trim().is_empty() {
        return Err("the formula is empty".into());
    }
    Ok(out.trim().to_string())
}

struct Tex {
    chars: Vec<char>,
    at: usize,
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
            let piece = self.atom()?;
            let number = |c: char| c.is_ascii_digit() || c == '.';
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

    /// One unit: a letter, digit, operator, group, script or command.
    fn atom(&mut self) -> Result<String, String> {
        let c = self.chars[self.at];
        self.at += 1;
        Ok(match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' => c.to_string(),
            '+' | '-' | '=' | '<' | '>' | '!' | '\'' | '|' | ',' | ':' | ';' => c.to_string(),
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

    /// The argument of a script or command: a group or one unit.
    fn argument(&mut self) -> Result<String, String> {
        while self.chars.get(self.at) == Some(&' ') {
            self.at += 1;
        }
        match self.chars.get(self.at) {
            Some('{') => {
                self.at += 1;
                self.sequence(Some('}'))
            }
            Some(_) => self.atom(),
            None => Err("an argument is missing".into()),
        }
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
}
