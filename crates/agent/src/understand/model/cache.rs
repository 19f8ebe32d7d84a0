//! The understanding cache: the same message in the same conversation state gets the same
//! commands without asking the model again (the prototype's intent cache). The key is the
//! normalised message and a digest of the state summary the model would be sent, so anything
//! that could change the answer — the list on show, today's date, the flow — changes the key.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Proposal;

pub struct UnderstandingCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<u64, (Instant, Proposal)>>,
}

impl UnderstandingCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        UnderstandingCache {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The key for a message said in a state (summarised as the model would see it).
    pub fn key(message: &str, summary: &str) -> u64 {
        let normalised: String = message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let mut hasher = DefaultHasher::new();
        (normalised, summary).hash(&mut hasher);
        hasher.finish()
    }

    pub fn get(&self, key: u64) -> Option<Proposal> {
        let mut entries = self.entries.lock().ok()?;
        let hit = match entries.get(&key) {
            Some((at, proposal)) if at.elapsed() < self.ttl => Some(proposal.clone()),
            Some(_) => {
                entries.remove(&key);
                None
            }
            None => None,
        };
        metrics::counter!("llm_cache_total", "result" => if hit.is_some() { "hit" } else { "miss" }).increment(1);
        hit
    }

    pub fn put(&self, key: u64, proposal: Proposal) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity {
            // Full: drop what expired, then the oldest.
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= self.capacity
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| *k)
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key, (Instant::now(), proposal));
    }
}
