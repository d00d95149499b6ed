//! `conclave serve` and `conclave terminals`: the meeting-room server with no
//! window, and the members' terminal cards.

use super::{fail, open_meeting, say, tell};
use clap::Subcommand;
use conclave_core::api::{cards, terminals};
use conclave_core::i18n::{Lang, Msg};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// `conclave terminals …`: the members' terminal cards.
#[derive(Subcommand, Debug)]
pub(super) enum TerminalsAction {
    /// Every member's card and terminal: issued, paired, revoked.
    List {
        #[arg(long)]
        meeting: PathBuf,
    },
    /// Ends one member's card and the terminal paired with it.
    Revoke {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        member: String,
    },
    /// A fresh card for one member, printed to --out; the old one stops working.
    /// Printed while `conclave serve` (or the window's network) runs: the card
    /// carries the fingerprint of the certificate being served.
    Reissue {
        #[arg(long)]
        meeting: PathBuf,
        #[arg(long)]
        member: String,
        #[arg(long)]
        out: PathBuf,
        /// The meeting-room address, when not the one the server last started on.
        #[arg(long)]
        url: Option<String>,
    },
}

/// Runs one `conclave terminals` action.
pub(super) fn run(action: TerminalsAction, lang: Lang) -> i32 {
    match action {
        TerminalsAction::List { meeting } => list(&meeting, lang),
        TerminalsAction::Revoke { meeting, member } => revoke(&meeting, &member, lang),
        TerminalsAction::Reissue { meeting, member, out, url } => {
            reissue(&meeting, &member, &out, url.as_deref(), lang)
        }
    }
}

/// Serves until SIGINT or SIGTERM; exit 0 after a clean stop, 1 when the
/// server could not start (the port taken, say) or failed.
pub fn serve(meeting: &Path, listen: SocketAddr, lang: Lang) -> i32 {
    if let Err(code) = open_meeting(meeting, lang) {
        return code;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            tell!("conclave: {e}");
            return 1;
        }
    };
    runtime.block_on(async {
        let options = conclave_server::Options { db: meeting.to_path_buf(), listen };
        let running = match conclave_server::start(options).await {
            Ok(r) => r,
            Err(e) => {
                tell!("conclave: {}", Msg::ServerNotStarted { detail: e.to_string() }.render(lang));
                return 1;
            }
        };
        say!("{}", running.url);
        say!("{}", Msg::ServerFingerprint { fingerprint: running.fingerprint.clone() }.render(lang));
        // On stderr: stdout stays the two lines a script reads.
        tell!("{}", Msg::ServerFingerprintFresh.render(lang));
        let stop = async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! { _ = tokio::signal::ctrl_c() => {}, _ = term.recv() => {} }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        };
        stop.await;
        running.stop().await;
        0
    })
}

pub fn list(meeting: &Path, lang: Lang) -> i32 {
    let conn = match open_meeting(meeting, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match terminals::status(&conn) {
        Ok(rows) => {
            for r in rows {
                let state = if r.revoked {
                    Msg::TerminalRevoked
                } else if r.paired {
                    Msg::TerminalPaired
                } else if r.issued {
                    Msg::TerminalIssued
                } else {
                    Msg::TerminalNoCard
                };
                say!("{}\t{}\t{}", r.member_id, r.name, state.render(lang));
            }
            0
        }
        Err(e) => fail(&e, lang),
    }
}

pub fn revoke(meeting: &Path, member: &str, lang: Lang) -> i32 {
    let mut conn = match open_meeting(meeting, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match terminals::revoke(&mut conn, member) {
        Ok(()) => 0,
        Err(e) => fail(&e, lang),
    }
}

pub fn reissue(meeting: &Path, member: &str, out: &Path, url: Option<&str>, lang: Lang) -> i32 {
    let mut conn = match open_meeting(meeting, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let pdf = cards::terminal_card(&mut conn, member, url, lang);
    match pdf.and_then(|pdf| std::fs::write(out, pdf).map_err(conclave_core::error::Error::io(out))) {
        Ok(()) => {
            say!("{}", out.display());
            0
        }
        Err(e) => fail(&e, lang),
    }
}
