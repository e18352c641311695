//! Walks over a converted body, for the passes that change it after
//! conversion (links between notes resolved, withheld findings taken out,
//! citations set): where inlines sit in blocks, and inlines in inlines,
//! said once.

use super::{Block, Inline};

/// What an inline holds, if anything: more inlines (emphasis, a link, a
/// highlight) or blocks (a footnote).
enum Nested<'a> {
    Inlines(&'a mut Vec<Inline>),
    Blocks(&'a mut Vec<Block>),
}

fn nested(inline: &mut Inline) -> Option<Nested<'_>> {
    match inline {
        Inline::Emph { c }
        | Inline::Strong { c }
        | Inline::Strike { c }
        | Inline::Link { c, .. }
        | Inline::Xref { c, .. }
        | Inline::Mark { c }
        | Inline::Underline { c }
        | Inline::Sub { c }
        | Inline::Super { c }
        | Inline::Kbd { c } => Some(Nested::Inlines(c)),
        Inline::Note { c } => Some(Nested::Blocks(c)),
        _ => None,
    }
}

/// Calls `f` on each list of inlines that blocks hold themselves (a
/// paragraph's, a heading's, a callout's title, a table cell), in blocks
/// at any depth (quotes, embeds, callouts, list items), in reading order;
/// not on the lists inside inlines.
fn block_inlines(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Para { c } | Block::Heading { c, .. } => f(c),
            Block::Quote { c } | Block::Embed { c, .. } => block_inlines(c, f),
            Block::Callout { title, c, .. } => {
                f(title);
                block_inlines(c, f)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| block_inlines(&mut i.c, f)),
            Block::Table { head, rows, .. } => {
                head.iter_mut().chain(rows.iter_mut().flatten()).for_each(&mut *f)
            }
            Block::Code { .. } | Block::Rule | Block::Html { .. } => {}
        }
    }
}

/// Calls `f` on every inline of `blocks`, at any depth, in reading order:
/// an inline before those it holds (a citation inside emphasis comes where
/// it is read).
pub fn each_inline(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    fn inlines(list: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
        for inline in list {
            f(inline);
            match nested(inline) {
                Some(Nested::Inlines(c)) => inlines(c, f),
                Some(Nested::Blocks(c)) => each_inline(c, f),
                None => {}
            }
        }
    }
    block_inlines(blocks, &mut |list| inlines(list, f));
}

/// Calls `f` on every list of inlines in `blocks`, at any depth: a list
/// before the lists its inlines hold (so `f` may replace inlines, and
/// those it puts in are walked too).
pub fn each_inline_list(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    fn lists(list: &mut Vec<Inline>, f: &mut dyn FnMut(&mut Vec<Inline>)) {
        f(list);
        for inline in list.iter_mut() {
            match nested(inline) {
                Some(Nested::Inlines(c)) => lists(c, f),
                Some(Nested::Blocks(c)) => each_inline_list(c, f),
                None => {}
            }
        }
    }
    block_inlines(blocks, &mut |list| lists(list, f));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { t: t.into() }
    }

    #[test]
    fn inlines_are_visited_in_reading_order_at_any_depth() {
        let note = Inline::Note { c: vec![Block::Para { c: vec![text("c")] }] };
        let mut body = vec![
            Block::Para {
                c: vec![text("a"), Inline::Emph { c: vec![text("b")] }, note, text("d")],
            },
            Block::Quote { c: vec![Block::Para { c: vec![text("e")] }] },
        ];
        let mut seen = String::new();
        each_inline(&mut body, &mut |i| {
            if let Inline::Text { t } = i {
                seen.push_str(t)
            }
        });
        assert_eq!(seen, "abcde");
        let mut lists = 0;
        each_inline_list(&mut body, &mut |_| lists += 1);
        assert_eq!(lists, 4, "the paragraph, the emphasis, the note's paragraph, the quote's");
    }
}
