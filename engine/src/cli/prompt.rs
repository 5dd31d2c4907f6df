//! docker/cli `prompt.Confirm`: the question on stdout, `y` or `Y` on standard input
//! agrees; anything else, or no input at all, declines.

use super::Ctx;

pub fn confirm(ctx: &mut Ctx, question: &str) -> bool {
    ctx.out.push_str(question);
    ctx.out.push_str(" [y/N] ");
    ctx.flush();
    let answer = ctx.env.read.and_then(|read| read("-").ok()).unwrap_or_default();
    let line = String::from_utf8_lossy(&answer);
    matches!(line.lines().next().map(str::trim), Some("y" | "Y"))
}
