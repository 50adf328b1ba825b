//! One visitor's connection: who they are, and what each of their channels may
//! do. A channel may run the explorer (with a pty) or one lookup (exec); every
//! other request is refused.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use russh::keys::ssh_key::{HashAlg, PublicKey};
use russh::server::{
    Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey,
};
use russh::{Channel, ChannelId, ChannelWriteHalf, Pty};

use super::explorer::{self, ExplorerInput, Start};
use super::limits::{SessionGuard, StartupGuard, clamp_size};
use super::{Shared, exec, shown};
use crate::session::run_loop::Ending;
use ratatui::layout::Size;

/// What the disconnection line of the log says about a connection. The line is
/// written when the last holder lets go: the connection's task and every session
/// it started, so that it comes after the sessions have really ended.
#[derive(Debug)]
pub struct ConnectionLog {
    pub peer: SocketAddr,
    pub started: std::time::Instant,
    pub sent: Arc<AtomicU64>,
    pub user: Option<String>,
    pub key: Option<String>,
    /// How the last session ended, if one ran.
    pub ended: Option<&'static str>,
    /// How the connection itself ended.
    pub closed: &'static str,
}

impl Drop for ConnectionLog {
    fn drop(&mut self) {
        eprintln!(
            "{} disconnect {} user={} key={} length={:.1}s sent={} reason={}",
            super::now(),
            self.peer,
            self.user
                .as_deref()
                .map_or("-".to_string(), |u| shown(u, 64)),
            self.key.as_deref().unwrap_or("-"),
            self.started.elapsed().as_secs_f64(),
            self.sent.load(std::sync::atomic::Ordering::Relaxed),
            self.ended.unwrap_or(self.closed)
        );
    }
}

#[derive(Default)]
struct ChannelState {
    /// The channel's output side, until a session takes it.
    write: Option<ChannelWriteHalf<Msg>>,
    pty: Option<Size>,
    term: Option<String>,
    no_color: bool,
    input: Option<ExplorerInput>,
}

pub struct Connection {
    pub shared: Arc<Shared>,
    pub peer: SocketAddr,
    pub startup: Arc<StartupGuard>,
    pub log: Arc<Mutex<ConnectionLog>>,
    pub sent: Arc<AtomicU64>,
    channels: HashMap<ChannelId, ChannelState>,
}

impl Connection {
    pub fn new(
        shared: Arc<Shared>,
        peer: SocketAddr,
        startup: Arc<StartupGuard>,
        log: Arc<Mutex<ConnectionLog>>,
        sent: Arc<AtomicU64>,
    ) -> Self {
        Connection {
            shared,
            peer,
            startup,
            log,
            sent,
            channels: HashMap::new(),
        }
    }

    /// In, unless `--authorized-keys` names who may and `key` is not one of them
    /// (`None`: no key offered).
    fn verdict(&self, key: Option<&PublicKey>) -> Auth {
        let allowed = match (&self.shared.authorized_keys, key) {
            (None, _) => true,
            (Some(keys), Some(key)) => keys.iter().any(|k| k.key_data() == key.key_data()),
            (Some(_), None) => false,
        };
        if allowed {
            Auth::Accept
        } else {
            Auth::reject()
        }
    }

    fn note(&self, f: impl FnOnce(&mut ConnectionLog)) {
        f(&mut self.log.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Writes one line to the channel's stderr, sends the status and closes it:
    /// how a refused session ends.
    fn refuse(&mut self, channel: ChannelId, message: String, status: u32) {
        let Some(write) = self.channels.get_mut(&channel).and_then(|c| c.write.take()) else {
            return;
        };
        self.shared.runtime.spawn(async move {
            let _ = write
                .extended_data_bytes(1, format!("annals: {message}\r\n").into_bytes())
                .await;
            let _ = write.exit_status(status).await;
            let _ = write.eof().await;
            let _ = write.close().await;
        });
    }

    /// A place for a new session (an explorer or a lookup) on `channel`, with the
    /// channel's output side; past a limit, the channel is refused as full.
    fn take_session(
        &mut self,
        channel: ChannelId,
    ) -> Option<(SessionGuard, ChannelWriteHalf<Msg>)> {
        match self
            .shared
            .sessions
            .try_start(self.peer.ip(), &self.shared.limits)
        {
            Ok(guard) => {
                let write = self.channels.get_mut(&channel)?.write.take()?;
                Some((guard, write))
            }
            Err(full) => {
                self.refuse(channel, full.to_string(), 1);
                Self::record_ending(&self.log, "server full");
                None
            }
        }
    }

    fn record_ending(log: &Arc<Mutex<ConnectionLog>>, why: &'static str) {
        log.lock().unwrap_or_else(|e| e.into_inner()).ended = Some(why);
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    /// Anyone may come in, unless `--authorized-keys` names who may.
    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        self.note(|l| l.user = Some(user.to_string()));
        Ok(self.verdict(None))
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(self.verdict(Some(offer.public_key)))
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let fingerprint = key.public_key.fingerprint(HashAlg::Sha256).to_string();
        self.note(|l| {
            l.user = Some(user.to_string());
            l.key = Some(fingerprint);
        });
        Ok(self.verdict(Some(key.public_key)))
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.startup.leave();
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let id = channel.id();
        // Input arrives through `data`; the read half is not needed.
        let (_, write) = channel.split();
        self.channels.insert(
            id,
            ChannelState {
                write: Some(write),
                ..ChannelState::default()
            },
        );
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(state) if state.input.is_none() => {
                state.pty = Some(clamp_size(col_width, row_height));
                state.term = Some(term.chars().take(64).collect());
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    /// Only NO_COLOR is taken: it turns colour off for this visitor.
    async fn env_request(
        &mut self,
        channel: ChannelId,
        variable_name: &str,
        variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(state) if variable_name == "NO_COLOR" => {
                state.no_color = !variable_value.is_empty();
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(state) = self.channels.get(&channel) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let (pty, no_color) = (state.pty, state.no_color);
        let Some(size) = pty else {
            let message = "the explorer needs a terminal: connect with `ssh -t`".to_string();
            self.refuse(channel, message, 1);
            Self::record_ending(&self.log, "no terminal requested");
            return Ok(());
        };
        let Some((guard, write)) = self.take_session(channel) else {
            return Ok(());
        };
        let start = Start {
            size,
            color: self.shared.start.color && !no_color,
            mouse: self.shared.start.mouse,
        };
        let log = Arc::clone(&self.log);
        let ended = move |ending: Ending| Self::record_ending(&log, ending.describe());
        let input = explorer::start(
            Arc::clone(&self.shared),
            self.peer,
            write,
            start,
            guard,
            Arc::clone(&self.sent),
            ended,
        );
        if let Some(state) = self.channels.get_mut(&channel) {
            state.input = Some(input);
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(state) = self.channels.get(&channel) else {
            return session.channel_failure(channel);
        };
        session.channel_success(channel)?;
        let color = self.shared.start.color && !state.no_color && state.pty.is_some();
        let line = String::from_utf8_lossy(data).into_owned();
        let words = match exec::split(&line) {
            Ok(words) => words,
            Err(message) => {
                self.refuse(channel, message, 2);
                return Ok(());
            }
        };
        let Some((guard, write)) = self.take_session(channel) else {
            return Ok(());
        };
        self.note(|l| l.ended = Some("exec"));
        eprintln!("{} exec {} {}", super::now(), self.peer, shown(&line, 200));
        exec::run(
            Arc::clone(&self.shared),
            write,
            words,
            color,
            guard,
            Arc::clone(&self.sent),
        );
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        let message = format!(
            "the subsystem {} is not available: this server only shows the explorer",
            shown(name, 40)
        );
        self.refuse(channel, message, 1);
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.get_mut(&channel) {
            let size = clamp_size(col_width, row_height);
            state.pty = Some(size);
            if let Some(input) = &state.input {
                input.resize(size);
            }
        }
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(input) = self.channels.get(&channel).and_then(|c| c.input.as_ref()) {
            input.data(data);
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(input) = self.channels.get(&channel).and_then(|c| c.input.as_ref()) {
            input.close();
        }
        Ok(())
    }

    /// A channel closed: its session ends. The connection stays for the client to
    /// close (a multiplexing client opens more channels on it), and a connection
    /// left with no channel ends after the idle timeout.
    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(state) = self.channels.remove(&channel)
            && let Some(input) = state.input
        {
            input.close();
        }
        Ok(())
    }
}

impl Drop for Connection {
    /// A connection that ends (the client killed, the network gone) ends its
    /// sessions too.
    fn drop(&mut self) {
        for state in self.channels.values() {
            if let Some(input) = &state.input {
                input.close();
            }
        }
    }
}
