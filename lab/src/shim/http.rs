//! HTTP/1.1 over a unix socket, one request per connection: all the shim needs to
//! reach a node's daemon, without an async runtime in a short-lived command.

use super::remote::Transport;
use crate::wire::{Reply, Req};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use swarmlab_engine::api::ApiError;

pub struct UnixTransport {
    pub path: PathBuf,
}

impl UnixTransport {
    pub fn connect(&self) -> std::io::Result<UnixStream> {
        UnixStream::connect(&self.path)
    }
}

impl Transport for UnixTransport {
    fn send(&mut self, req: Req) -> Result<Reply, ApiError> {
        let lost = |e: std::io::Error| ApiError::new(500, format!("error during connect: {e}"));
        let mut stream = self.connect().map_err(lost)?;
        let head = format!(
            "{} /v{}{} HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: swarmlab-docker-shim\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            req.method,
            crate::wire::API_VERSION,
            req.target(),
            req.body.len()
        );
        stream.write_all(head.as_bytes()).map_err(lost)?;
        stream.write_all(&req.body).map_err(lost)?;
        read_reply(BufReader::new(stream)).map_err(lost)
    }
}

/// Reads a status line, headers, and a body sized by Content-Length, chunked, or
/// running to the end of the connection.
pub fn read_reply(mut r: impl BufRead) -> std::io::Result<Reply> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 =
        line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| bad("malformed status line"))?;
    let (mut length, mut chunked, mut content_type) = (None, false, "");
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
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| bad("malformed chunk size"))?;
            if size == 0 {
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
    }
    Ok(Reply { status, content_type, body, delay: std::time::Duration::ZERO })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sized_and_chunked_bodies() {
        let sized = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"message\":\"x\"}";
        let r = read_reply(&sized[..]).unwrap();
        assert_eq!((r.status, r.to_error().message.as_str()), (404, "x"));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(read_reply(&chunked[..]).unwrap().body, b"abcde");
        assert!(read_reply(&b"garbage\r\n\r\n"[..]).is_err());
    }
}
