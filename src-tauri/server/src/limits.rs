//! Request limits per session (and per client address before pairing): a
//! token bucket for the rate, and a cap on requests in flight at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One key's allowance.
struct Bucket {
    tokens: f64,
    last: Instant,
    in_flight: u32,
}

/// How much one key may do.
#[derive(Clone, Copy)]
pub struct Rate {
    /// Requests that may come at once after a quiet spell.
    pub burst: f64,
    /// Requests per second after that.
    pub per_second: f64,
    /// Requests being handled at the same time.
    pub in_flight: u32,
}

pub struct Limiter {
    rate: Rate,
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Held while a request runs; gives its in-flight place back when dropped.
pub struct Permit {
    limiter: Arc<Limiter>,
    key: String,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut map) = self.limiter.buckets.lock() {
            if let Some(b) = map.get_mut(&self.key) {
                b.in_flight = b.in_flight.saturating_sub(1);
            }
        }
    }
}

impl Limiter {
    pub fn new(rate: Rate) -> Arc<Self> {
        Arc::new(Limiter { rate, buckets: Mutex::new(HashMap::new()) })
    }

    /// A permit for one request of `key`, or `None` when it is over its limit.
    pub fn admit(self: &Arc<Self>, key: &str) -> Option<Permit> {
        let mut map = self.buckets.lock().ok()?;
        let now = Instant::now();
        if map.len() > 10_000 {
            // Forget quiet keys rather than grow without bound.
            map.retain(|_, b| b.in_flight > 0 || now.duration_since(b.last).as_secs() < 60);
        }
        let b =
            map.entry(key.to_string()).or_insert(Bucket { tokens: self.rate.burst, last: now, in_flight: 0 });
        let refill = now.duration_since(b.last).as_secs_f64() * self.rate.per_second;
        b.tokens = (b.tokens + refill).min(self.rate.burst);
        b.last = now;
        if b.tokens < 1.0 || b.in_flight >= self.rate.in_flight {
            return None;
        }
        b.tokens -= 1.0;
        b.in_flight += 1;
        Some(Permit { limiter: self.clone(), key: key.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_burst_and_past_the_in_flight_cap() {
        let l = Limiter::new(Rate { burst: 3.0, per_second: 0.0, in_flight: 2 });
        let a = l.admit("k").expect("first");
        let _b = l.admit("k").expect("second");
        assert!(l.admit("k").is_none(), "a third at once is over the in-flight cap");
        drop(a);
        let _c = l.admit("k").expect("a place came back");
        assert!(l.admit("k").is_none(), "the burst of three is spent");
        assert!(l.admit("other").is_some(), "keys do not share a bucket");
    }
}
