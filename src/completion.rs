//! Completion scripts that complete names, not only flags: clap_complete
//! writes the script for a shell from the argument definitions, and this
//! adds to it the arguments whose values are the project's names (themes,
//! meetings, standing books, handling levels) or the citation styles,
//! which the script asks `brief complete KIND` for as the user types.
//! (clap_complete's own engine for this is behind an unstable feature.)
//!
//! Pure text: no I/O here.

use clap_complete::Shell;

/// Each option whose values `brief complete` names: its long name, its
/// short one, and the kind to ask for.
const NAMED: [(&str, Option<char>, &str); 4] = [
    ("theme", Some('t'), "themes"),
    ("meeting", None, "meetings"),
    ("audience", None, "levels"),
    ("csl", None, "styles"),
];

/// The subcommands whose positional `NAME…` are standing books.
const BOOK_COMMANDS: [&str; 2] = ["build", "watch"];

/// `script`, clap_complete's script for `shell` from `command`, with the
/// names completed where the shell allows (bash, zsh, fish); unchanged for
/// the others.
pub fn with_names(shell: Shell, script: &str, command: &clap::Command) -> String {
    match shell {
        Shell::Bash => bash(script),
        Shell::Zsh => zsh(script),
        Shell::Fish => fish(script, command),
        _ => script.to_string(),
    }
}

/// bash: a function that answers for the named options and the books,
/// and hands everything else to clap's `_brief`.
fn bash(script: &str) -> String {
    let mut cases = String::new();
    for (long, short, kind) in NAMED {
        let short = short.map(|s| format!("-{s}|")).unwrap_or_default();
        cases.push_str(&format!("        {short}--{long}) kind={kind} ;;\n"));
    }
    let books = BOOK_COMMANDS.join("|");
    let names = format!(
        r#"
# The project's names (`brief complete KIND`) for the arguments that take
# them; everything else as clap's `_brief` completes it.
_brief_names() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" kind="" word
    [[ ${{COMP_CWORD}} -gt 0 ]] && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    case "${{prev}}" in
{cases}    esac
    if [[ -z "${{kind}}" && "${{cur}}" != -* && "${{prev}}" != -* ]]; then
        for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
            case "${{word}}" in
                {books}) kind=books ;;
            esac
        done
    fi
    if [[ -n "${{kind}}" ]]; then
        COMPREPLY=($(compgen -W "$(brief complete "${{kind}}" 2>/dev/null)" -- "${{cur}}"))
        [[ ${{#COMPREPLY[@]}} -gt 0 ]] && return 0
    fi
    _brief "$@"
}}
"#
    );
    let registered = script.replace("complete -F _brief ", "complete -F _brief_names ");
    match registered.rfind("\nif [[ \"${BASH_VERSINFO") {
        Some(at) => format!("{}{names}{}", &registered[..at + 1], &registered[at + 1..]),
        None => {
            format!("{registered}{names}complete -F _brief_names -o bashdefault -o default brief\n")
        }
    }
}

/// zsh: each named option's action, and the books' (`*::names`), becomes
/// `_brief_names KIND`.
fn zsh(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 512);
    for line in script.split_inclusive('\n') {
        let kind = NAMED
            .iter()
            .find(|(long, short, _)| {
                line.contains(&format!("--{long}=["))
                    || short.is_some_and(|s| line.contains(&format!("-{s}+[")))
            })
            .map(|(_, _, kind)| *kind)
            .or_else(|| line.trim_start().starts_with("'*::names -- ").then_some("books"));
        match kind {
            Some(kind) if line.contains(":_default'") => {
                let at = line.rfind(":_default'").expect("found");
                out.push_str(&line[..at]);
                out.push_str(&format!(":_brief_names {kind}'"));
                out.push_str(&line[at + ":_default'".len()..]);
            }
            _ => out.push_str(line),
        }
    }
    let names = r#"
# The project's names (`brief complete KIND`), for the arguments that take
# them; a style may also be a .csl file.
(( $+functions[_brief_names] )) ||
_brief_names() {
    local -a names
    names=(${(f)"$(brief complete $1 2>/dev/null)"})
    compadd -a names
    [[ $1 == styles ]] && _files -g '*.csl'
    return 0
}
"#;
    match out.find('\n') {
        Some(first) if out.starts_with("#compdef") => {
            format!("{}{names}{}", &out[..first + 1], &out[first + 1..])
        }
        _ => format!("{names}{out}"),
    }
}

/// fish: one more `complete` line per named option, where the option is
/// (at the top level or under a subcommand), and one for the books.
fn fish(script: &str, command: &clap::Command) -> String {
    let mut out = script.to_string();
    out.push_str(
        "\n# The project's names (`brief complete KIND`), for the arguments that take them.\n",
    );
    for (long, short, kind) in NAMED {
        let has = |c: &clap::Command| c.get_arguments().any(|a| a.get_long() == Some(long));
        let mut conditions = Vec::new();
        if has(command) {
            conditions.push("__fish_brief_needs_command".to_string());
        }
        for sub in command.get_subcommands().filter(|s| has(s)) {
            conditions.push(format!("__fish_brief_using_subcommand {}", sub.get_name()));
        }
        let short = short.map(|s| format!(" -s {s}")).unwrap_or_default();
        // A style may also be a .csl file.
        let files = if kind == "styles" { "-r" } else { "-x" };
        out.push_str(&format!(
            "complete -c brief -n \"{}\"{short} -l {long} {files} -a '(brief complete {kind} 2>/dev/null)'\n",
            conditions.join("; or ")
        ));
    }
    let books: Vec<String> =
        BOOK_COMMANDS.iter().map(|c| format!("__fish_brief_using_subcommand {c}")).collect();
    out.push_str(&format!(
        "complete -c brief -n \"{}\" -f -a '(brief complete books 2>/dev/null)'\n",
        books.join("; or ")
    ));
    out
}
