//! The `hullscan` binary: parse arguments, run, map the result to an exit code.
//! 0: nothing at or above `--fail-on`; 1: findings at or above it; 2: usage or operational error.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // A closed stdout (`hullscan ... | head`) is not an error worth reporting.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            // Library errors often quote their cause; print each cause once.
            let mut chain: Vec<String> = Vec::new();
            for cause in e.chain() {
                let text = cause.to_string();
                if !chain.last().is_some_and(|prev| prev.contains(&text)) {
                    chain.push(text);
                }
            }
            // Errors can quote names from images; nothing they hold may steer the terminal.
            eprintln!(
                "hullscan: error: {}",
                hullscan::report::printable(&chain.join(": "))
            );
            ExitCode::from(2)
        }
    }
}
