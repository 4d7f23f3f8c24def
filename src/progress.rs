//! A progress line for long builds, drawn on stderr only when it is a
//! terminal: `Rendering 5,120 of 15,819` redrawn ten times a second and
//! erased when the stage ends. A stage shorter than half a second draws
//! nothing, and CI (no terminal) never sees it.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Counts the items of one stage; shown while it lives, erased on drop.
pub struct Progress {
    shared: Arc<Shared>,
    painter: Option<JoinHandle<()>>,
}

struct Shared {
    label: &'static str,
    total: AtomicUsize,
    done: AtomicUsize,
    finished: AtomicBool,
}

impl Progress {
    /// A progress that never draws.
    pub fn off() -> Self {
        Progress::start(false, "")
    }

    /// Starts a stage named `label`; draws on stderr only if `visible`.
    pub fn start(visible: bool, label: &'static str) -> Self {
        let out = visible.then(|| Box::new(std::io::stderr()) as Box<dyn Write + Send>);
        Progress::drawing_to(out, label, Duration::from_millis(500))
    }

    /// Starts a stage that draws to `out`, if any, once `delay` has passed.
    fn drawing_to(
        out: Option<Box<dyn Write + Send>>,
        label: &'static str,
        delay: Duration,
    ) -> Self {
        let shared = Arc::new(Shared {
            label,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            finished: AtomicBool::new(false),
        });
        let painter = out.map(|mut out| {
            let shared = shared.clone();
            std::thread::spawn(move || paint(&shared, &mut out, delay))
        });
        Progress { shared, painter }
    }

    pub fn set_total(&self, total: usize) {
        self.shared.total.store(total, Ordering::Relaxed);
    }

    /// One item done; callable from any thread.
    pub fn tick(&self) {
        self.shared.done.fetch_add(1, Ordering::Relaxed);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.shared.finished.store(true, Ordering::Relaxed);
        if let Some(painter) = self.painter.take() {
            painter.thread().unpark();
            let _ = painter.join();
        }
    }
}

fn paint(shared: &Shared, stderr: &mut dyn Write, delay: Duration) {
    let started = Instant::now();
    let mut drawn = false;
    while !shared.finished.load(Ordering::Relaxed) {
        std::thread::park_timeout(Duration::from_millis(100));
        if shared.finished.load(Ordering::Relaxed) || started.elapsed() < delay {
            continue;
        }
        let done = shared.done.load(Ordering::Relaxed);
        let total = shared.total.load(Ordering::Relaxed);
        let _ = write!(
            stderr,
            "\r\x1b[2K{} {} of {}",
            shared.label,
            thousands(done.min(total)),
            thousands(total)
        );
        let _ = stderr.flush();
        drawn = true;
    }
    if drawn {
        let _ = write!(stderr, "\r\x1b[2K");
        let _ = stderr.flush();
    }
}

/// `15819` → `15,819`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_many_threads_and_groups_digits() {
        let progress = Progress::off();
        progress.set_total(1000);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..250).for_each(|_| progress.tick()));
            }
        });
        assert_eq!(progress.shared.done.load(Ordering::Relaxed), 1000);
        assert_eq!(thousands(15819), "15,819");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    /// A writer the test can read after the painter is done with it.
    #[derive(Clone, Default)]
    struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn draws_the_count_and_erases_it_at_the_end() {
        let out = Captured::default();
        let progress =
            Progress::drawing_to(Some(Box::new(out.clone())), "Writing pages", Duration::ZERO);
        progress.set_total(1500);
        (0..1200).for_each(|_| progress.tick());
        std::thread::sleep(Duration::from_millis(350));
        drop(progress);
        let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("utf8");
        assert!(
            text.contains("\r\x1b[2KWriting pages 1,200 of 1,500"),
            "{text:?}"
        );
        assert!(text.ends_with("\r\x1b[2K"), "erased at the end: {text:?}");
    }

    #[test]
    fn a_short_stage_draws_nothing_and_ends_promptly() {
        let out = Captured::default();
        let started = Instant::now();
        drop(Progress::drawing_to(
            Some(Box::new(out.clone())),
            "Quick",
            Duration::from_millis(500),
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(out.0.lock().expect("lock").is_empty());
    }
}
