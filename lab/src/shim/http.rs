//! HTTP/1.1 over a unix socket: all the shim needs to reach a node's daemon, without an
//! async runtime in a short-lived command. One connection serves every request of a
//! command (the history, the calls, the polls of a progress bar), as moby's client
//! keeps its connection alive.

use super::remote::Transport;
use crate::wire::{Reply, Req};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use swarmlab_engine::api::ApiError;
use swarmlab_engine::time::Timestamp;

pub struct UnixTransport {
    pub path: PathBuf,
    /// The open connection, once one is.
    conn: Option<BufReader<UnixStream>>,
}

impl UnixTransport {
    pub fn new(path: PathBuf) -> UnixTransport {
        UnixTransport { path, conn: None }
    }

    /// Opens the connection the requests will use (if none is open): whether the
    /// daemon is there at all.
    pub fn connect(&mut self) -> std::io::Result<()> {
        if self.conn.is_none() {
            self.conn = Some(BufReader::new(UnixStream::connect(&self.path)?));
        }
        Ok(())
    }

    fn exchange(&mut self, head: &[u8], body: &[u8]) -> std::io::Result<Reply> {
        self.connect()?;
        let conn = self.conn.as_mut().ok_or_else(|| std::io::Error::other("not connected"))?;
        conn.get_mut().write_all(head)?;
        conn.get_mut().write_all(body)?;
        let (reply, reusable) = read_reply_on(conn)?;
        if !reusable {
            self.conn = None;
        }
        Ok(reply)
    }
}

impl Transport for UnixTransport {
    fn send(&mut self, req: Req) -> Result<Reply, ApiError> {
        let lost = |e: std::io::Error| ApiError::new(500, format!("error during connect: {e}"));
        let head = format!(
            "{} /v{}{} HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: swarmlab-docker-shim\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            req.method,
            crate::wire::API_VERSION,
            req.target(),
            req.body.len()
        );
        let reused = self.conn.is_some();
        match self.exchange(head.as_bytes(), &req.body) {
            Ok(reply) => Ok(reply),
            // The daemon closed a kept connection meanwhile: once more on a new one.
            Err(_) if reused => {
                self.conn = None;
                self.exchange(head.as_bytes(), &req.body).map_err(lost)
            }
            Err(e) => {
                self.conn = None;
                Err(lost(e))
            }
        }
    }
}

/// Reads a status line, headers, and a body sized by Content-Length, chunked, or
/// running to the end of the connection; and whether the connection can carry another
/// request after it.
fn read_reply_on(r: &mut impl BufRead) -> std::io::Result<(Reply, bool)> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 =
        line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("malformed status line"))?;
    let (mut length, mut chunked, mut content_type, mut now, mut close) = (None, false, "", None, false);
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse::<usize>().ok(),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "content-type" if value.starts_with("application/json") => content_type = "application/json",
            "connection" => close = value.eq_ignore_ascii_case("close"),
            n if n.eq_ignore_ascii_case(crate::wire::NOW_HEADER) => now = value.parse::<i64>().ok().map(Timestamp),
            _ => {}
        }
    }
    let mut body = Vec::new();
    let mut reusable = !close;
    if matches!(status, 100..=199 | 204 | 304) {
        // No body, whatever the headers say.
    } else if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| bad("malformed chunk size"))?;
            if size == 0 {
                // The trailer's end: the empty line after the last chunk.
                line.clear();
                r.read_line(&mut line)?;
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            r.read_exact(&mut body[start..])?;
            line.clear();
            r.read_line(&mut line)?;
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body)?;
    } else {
        r.read_to_end(&mut body)?;
        reusable = false;
    }
    Ok((Reply { status, content_type, body, delay: std::time::Duration::ZERO, now }, reusable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sized_and_chunked_bodies() {
        let sized = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"message\":\"x\"}";
        let read_reply = |mut bytes: &[u8]| read_reply_on(&mut bytes).map(|(reply, _)| reply);
        let r = read_reply(&sized[..]).unwrap();
        assert_eq!((r.status, r.to_error().message.as_str()), (404, "x"));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(read_reply(&chunked[..]).unwrap().body, b"abcde");
        assert!(read_reply(&b"garbage\r\n\r\n"[..]).is_err());
    }

    #[test]
    fn one_connection_carries_every_request_of_a_command() {
        use std::io::Read;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sock");
        let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let server = std::thread::spawn(move || {
            let mut accepted = 0;
            // Two requests on the first connection, then it closes; the third comes on a new one.
            for (conn, answers) in [(0, 2), (1, 1)] {
                let (stream, _) = listener.accept().unwrap();
                accepted += 1;
                let mut r = BufReader::new(stream.try_clone().unwrap());
                for i in 0..answers {
                    let mut line = String::new();
                    while r.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
                        line.clear();
                    }
                    let last = conn == 0 && i == answers - 1;
                    let close = if last { "Connection: close\r\n" } else { "" };
                    let reply = format!("HTTP/1.1 200 OK\r\n{close}Swarmlab-Now: 42\r\nContent-Length: 2\r\n\r\nok");
                    (&stream).write_all(reply.as_bytes()).unwrap();
                }
                let mut rest = Vec::new();
                let _ = r.read_to_end(&mut rest);
            }
            accepted
        });
        let mut t = UnixTransport::new(path);
        for _ in 0..3 {
            let reply = t.send(Req::new("GET", "/_ping")).unwrap();
            assert_eq!((reply.body.as_slice(), reply.now), (&b"ok"[..], Some(Timestamp(42))));
        }
        drop(t);
        assert_eq!(server.join().unwrap(), 2, "two connections for three requests");
        let no_content = b"HTTP/1.1 204 No Content\r\n\r\n";
        let (reply, reusable) = read_reply_on(&mut &no_content[..]).unwrap();
        assert!(reply.body.is_empty() && reusable, "a 204 has no body to wait for");
    }
}
