//! Sets of events as bitsets, in chronological order.

/// A set of event indices as a bitset; iteration is in chronological order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSet {
    bits: Vec<u64>,
    len: usize,
}

impl EventSet {
    pub fn empty(len: usize) -> Self {
        Self {
            bits: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn full(len: usize) -> Self {
        let mut s = Self {
            bits: vec![!0; len.div_ceil(64)],
            len,
        };
        s.trim();
        s
    }

    fn trim(&mut self) {
        let rem = self.len % 64;
        if rem != 0
            && let Some(last) = self.bits.last_mut()
        {
            *last &= (1u64 << rem) - 1;
        }
    }

    pub(super) fn insert(&mut self, i: usize) {
        self.bits[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub(super) fn extend(&mut self, ids: &[u32]) {
        for &i in ids {
            self.insert(i as usize);
        }
    }

    pub(super) fn union_with(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a |= b;
        }
    }

    pub(super) fn intersect_with(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= b;
        }
    }

    pub(super) fn subtract(&mut self, other: &EventSet) {
        for (a, b) in self.bits.iter_mut().zip(&other.bits) {
            *a &= !b;
        }
    }

    pub fn count(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}
