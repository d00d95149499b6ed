//! The thread that writes an import's staged files while the import reads
//! and hashes the next ones. Writing into the page cache is most of an
//! import's time (measured with `bench/import.sh`: 2.9 s of 3.5 s was
//! system time in `write`, as much as `cp -r` of the same files), so it
//! runs beside the reading and hashing. Two writers were measured too: the
//! system time grew to 4–5 s and the import got slower, so there is one.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

/// Bytes gathered before they cross to the writer.
const CHUNK: usize = 256 * 1024;
/// Chunks in flight: how far the writer may fall behind (4 MiB).
const DEPTH: usize = 16;

enum Job {
    Create(PathBuf),
    Write(Vec<u8>),
}

pub struct Writer {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<io::Result<()>>>,
    /// Buffers the writer is done with, to be filled again.
    free: Receiver<Vec<u8>>,
    pending: Vec<u8>,
    failed: Option<(io::ErrorKind, String)>,
}

impl Writer {
    pub fn spawn() -> io::Result<Writer> {
        let (jobs, rx) = mpsc::sync_channel(DEPTH);
        let (back, free) = mpsc::channel();
        let thread = std::thread::Builder::new().name("import-writer".into()).spawn(move || run(rx, back))?;
        Ok(Writer {
            jobs: Some(jobs),
            thread: Some(thread),
            free,
            pending: Vec::with_capacity(CHUNK),
            failed: None,
        })
    }

    /// Starts the file `path`; what is written next goes into it.
    pub fn create(&mut self, path: PathBuf) -> io::Result<()> {
        self.flush()?;
        self.send(Job::Create(path))
    }

    pub fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.pending.extend_from_slice(chunk);
        if self.pending.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    /// Waits until every file is written and closed; the first error the
    /// writer met, if any.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.jobs.is_some() {
            let _ = self.flush();
        }
        self.stop();
        self.failure().map_or(Ok(()), Err)
    }

    /// Ends the thread and keeps its error.
    fn stop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let result = thread.join().unwrap_or_else(|_| Err(io::Error::other("the import writer stopped")));
            if let Err(e) = result {
                self.failed = Some((e.kind(), e.to_string()));
            }
        }
    }

    fn failure(&self) -> Option<io::Error> {
        self.failed.as_ref().map(|(kind, message)| io::Error::new(*kind, message.clone()))
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut next = self.free.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        next.clear();
        let full = std::mem::replace(&mut self.pending, next);
        self.send(Job::Write(full))
    }

    fn send(&mut self, job: Job) -> io::Result<()> {
        if let Some(jobs) = &self.jobs {
            if jobs.send(job).is_ok() {
                return Ok(());
            }
        }
        // The writer stopped on an error: that error.
        self.stop();
        Err(self.failure().unwrap_or_else(|| io::Error::other("the import writer has finished")))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(jobs: Receiver<Job>, back: Sender<Vec<u8>>) -> io::Result<()> {
    let mut file: Option<File> = None;
    for job in jobs {
        match job {
            Job::Create(path) => {
                if let Some(done) = file.replace(File::create(path)?) {
                    start_writeback(&done);
                }
            }
            Job::Write(buf) => {
                match &mut file {
                    Some(f) => f.write_all(&buf)?,
                    None => return Err(io::Error::other("no file begun")),
                }
                let _ = back.send(buf);
            }
        }
    }
    if let Some(done) = file {
        start_writeback(&done);
    }
    Ok(())
}

/// Asks the kernel to start writing a finished file out now, so that the
/// sync at commit finds most of it on disk already (Linux's DONTNEED starts
/// writeback without waiting, then drops the pages that are clean).
fn start_writeback(file: &File) {
    #[cfg(target_os = "linux")]
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_hold_exactly_what_was_written_across_chunk_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::spawn().unwrap();
        let sizes = [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17];
        let mut expected = Vec::new();
        for (i, size) in sizes.iter().enumerate() {
            let path = dir.path().join(format!("{i}.part"));
            w.create(path.clone()).unwrap();
            let data: Vec<u8> = (0..*size).map(|b| (b * 7 + i) as u8).collect();
            // Uneven pieces, as a zip's inflater hands them over.
            for piece in data.chunks(1000 + i * 4093) {
                w.write(piece).unwrap();
            }
            expected.push((path, data));
        }
        w.finish().unwrap();
        for (path, data) in expected {
            assert_eq!(std::fs::read(&path).unwrap(), data, "{}", path.display());
        }
    }

    #[test]
    fn an_error_on_the_writer_thread_comes_back_and_stays() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::spawn().unwrap();
        w.create(dir.path().join("missing-folder").join("1.part")).unwrap();
        let mut first = None;
        for _ in 0..(DEPTH + 4) {
            if let Err(e) = w.write(&[0u8; CHUNK]) {
                first = Some(e);
                break;
            }
        }
        let again = w.finish().unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::NotFound);
        if let Some(e) = first {
            assert_eq!(e.kind(), io::ErrorKind::NotFound);
        }
        assert_eq!(w.finish().unwrap_err().kind(), io::ErrorKind::NotFound, "the error stays");
    }
}
