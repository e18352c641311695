//! `brief man`: the manual page, in roff. The options come from the clap
//! definitions (so the page names every flag `--help` does); the commands
//! are one section of this page, not pages of their own (there is no
//! brief-build(1)); FILES, ENVIRONMENT, EXIT STATUS and EXAMPLES are
//! written here, and say what the README says.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// Writes the manual page.
pub fn man(out: &mut dyn Write) -> std::io::Result<()> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    out.write_all(commands(&command).as_bytes())?;
    out.write_all(SECTIONS.as_bytes())?;
    man.render_version_section(out)
}

/// Text escaped for roff: backslashes and hyphens, and a line that would
/// start with a control character.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    text.lines()
        .map(|line| match line.starts_with(['.', '\'']) {
            true => format!("\\&{line}"),
            false => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The COMMANDS section: each command's synopsis and what it does, with
/// the options of its own (those of `build` and `watch` are the OPTIONS
/// above).
fn commands(top: &clap::Command) -> String {
    let mut page = String::from(".SH COMMANDS\n");
    for sub in top.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let mut synopsis = format!("\\fBbrief {}\\fR", sub.get_name());
        for arg in sub.get_positionals() {
            let name = arg.get_value_names().and_then(|v| v.first()).map(|n| n.to_string());
            let name = name.unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
            let many = matches!(arg.get_num_args(), Some(n) if n.max_values() > 1);
            let dots = if many { "..." } else { "" };
            match arg.is_required_set() {
                true => synopsis.push_str(&format!(" \\fI{}\\fR{dots}", escape(&name))),
                false => synopsis.push_str(&format!(" [\\fI{}\\fR]{dots}", escape(&name))),
            }
        }
        for action in sub.get_subcommands() {
            synopsis.push_str(&format!(" \\fB{}\\fR", action.get_name()));
        }
        // `build` and `watch` take the options above; the others their own.
        let above = matches!(sub.get_name(), "build" | "watch");
        let own: Vec<&clap::Arg> = sub
            .get_arguments()
            .filter(|a| !above && !a.is_positional() && !a.is_hide_set())
            .filter(|a| a.get_long().is_some_and(|l| !matches!(l, "help" | "version" | "color")))
            .collect();
        if above {
            synopsis.push_str(" [\\fIOPTIONS\\fR] (the options above)");
        } else if !own.is_empty() {
            synopsis.push_str(" [\\fIOPTIONS\\fR]");
        }
        let about = sub.get_long_about().or(sub.get_about()).map(|a| a.to_string());
        page.push_str(&format!(".TP\n{synopsis}\n{}\n", escape(&about.unwrap_or_default())));
        for arg in own {
            let long = arg.get_long().unwrap_or_default();
            let value = arg.get_value_names().and_then(|v| v.first()).map(|n| n.to_string());
            let value = match arg.get_action().takes_values() {
                true => format!(" \\fI{}\\fR", escape(&value.unwrap_or_else(|| "VALUE".into()))),
                false => String::new(),
            };
            let help = arg.get_long_help().or(arg.get_help()).map(|h| h.to_string());
            page.push_str(&format!(
                ".RS\n.TP\n\\fB\\-\\-{}\\fR{value}\n{}\n.RE\n",
                escape(long),
                escape(&help.unwrap_or_default())
            ));
        }
    }
    page
}

/// The sections written by hand.
const SECTIONS: &str = r#".SH FILES
.TP
\fBbrief.toml\fR
The project file: \fB[defaults]\fR (settings for every book), one \fB[[book]]\fR table per standing book, and \fBstate\fR (the state directory). brief looks for it in the current folder and then in each folder above, as git and cargo do; paths in it are relative to its folder, paths on the command line to the current one.
.TP
\fBdata/\fR
The corpus: themes.yaml, sources.yaml, findings/ and the other files that \fBdata/README.md\fR documents (\fBbrief init\fR writes that reference into a new project, and \fBbrief reference\fR prints it).
.TP
\fBout/\fINAME\fB.pdf\fR
A book. Beside it: \fBout/\fINAME\fB.edition.json\fR (its edition record, also attached to the PDF), \fBout/.\fINAME\fB.pdf.inputs\fR (the \fB\-\-if\-changed\fR stamp), and for numbered copies \fBout/\fINAME\fB/copy\-NN.pdf\fR and \fBout/\fINAME\fB/register.csv\fR.
.TP
\fISTATE\fB/\fINAME\fB.edition.json\fR, \fISTATE\fB/\fINAME\fB.inputs\fR
With a state directory (\fBstate\fR in brief.toml, \fB\-\-state\fR or \fBBRIEF_STATE\fR), a standing book's edition record and stamp are kept there instead of beside its PDF, so that a runner that restores the directory keeps the history. When records disagree, the highest edition among the state directory's and the file beside the PDF wins (the state directory's on a tie); the record inside the PDF is read only when neither file can be used.
.SH ENVIRONMENT
.TP
\fBBRIEF_DATA\fR
The corpus directory, as \fB\-\-data\fR.
.TP
\fBBRIEF_STATE\fR
The state directory, as \fB\-\-state\fR.
.TP
\fBSOURCE_DATE_EPOCH\fR
Seconds since 1970 fixing the "as of" date when \fB\-\-date\fR is not given (otherwise today).
.TP
\fBNO_COLOR\fR
No colour in the problems printed (as \fB\-\-color never\fR).
.TP
\fBRAYON_NUM_THREADS\fR
How many books \fBbrief build \-\-all\fR makes at once (default: one per core).
.SH "EXIT STATUS"
.TP
\fB0\fR
The PDF was written (or \fBcheck\fR found no error).
.TP
\fB1\fR
The corpus, brief.toml or a template is wrong; nothing was written (with \fB\-\-all\fR, the other books were still built).
.TP
\fB2\fR
Bad usage: an unknown flag, theme, meeting or book name, malformed or reversed dates, \fB\-\-all\fR without brief.toml, no project here, a recipients file's unknown level, an output over a standing book or a file brief reads.
.TP
\fB3\fR
A file could not be read or written.
.SH EXAMPLES
.TP
\fBbrief \-\-theme afghanistan\fR
The book on one theme: out/afghanistan.pdf (the standing book of that name, if brief.toml has one that selects the same).
.TP
\fBbrief build \-\-all \-\-if\-changed \-\-quiet\fR
Every standing book whose inputs changed; for a nightly job.
.TP
\fBbrief build next\-round \-\-copies\-for attendees\fR
A numbered copy of the standing book \fBnext\-round\fR for each attendee of its meeting.
.TP
\fBbrief build afghanistan \-\-since printed.pdf\fR
The standing book, compared with the copy printed last time.
.TP
\fBbrief build \-\-all \-\-shard 2/3 \-\-state state \-\-json\fR
One of three slices of the standing books, in an array job; restore \fBstate/\fR before and keep it after.
.TP
\fBbrief check\fR
Validate the corpus and brief.toml and report every problem.
.TP
\fBbrief watch \-\-theme drones \-\-open\fR
Rebuild on every save, with the PDF open in a viewer.
.TP
\fB15 3 * * *  cd /srv/briefings && /usr/local/bin/brief build \-\-all \-\-if\-changed \-\-quiet >> brief.log 2>&1\fR
A crontab line: cron's PATH is /usr/bin:/bin, so brief is named by its full path.
.SH "SEE ALSO"
\fBcrontab\fR(5), \fBsystemd.timer\fR(5), \fBman\fR(1). The corpus reference is \fBbrief reference\fR (data/README.md); brief's README.md has the rest.
"#;
