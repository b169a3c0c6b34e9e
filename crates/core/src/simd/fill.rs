//! A vector written in parts, possibly on several threads, without being
//! zeroed first: [`vec_written_by`].
//!
//! A long output that is about to be overwritten in full would otherwise be
//! zeroed first (a pass over memory, on one thread, for nothing). Here the
//! writer gets the uninitialised buffer as [`Slots`], which it may split
//! into parts and fill only front to back; each part, once full, yields a
//! [`Written`] receipt, receipts of neighbouring parts join, and the vector
//! takes its length only from a receipt for the whole buffer. Any part left
//! short is a panic, never a read of uninitialised memory. Receipts are
//! branded with the call they belong to (an invariant lifetime), so one
//! from another buffer cannot be passed off.

use std::marker::PhantomData;
use std::mem::MaybeUninit;

/// Ties slots and receipts to one call of [`vec_written_by`]: invariant in
/// `'id`, so no other call's receipt has the same type.
type Brand<'id> = PhantomData<fn(&'id ()) -> &'id ()>;

/// A part of the buffer, not yet written, filled front to back.
pub(crate) struct Slots<'id, T> {
    buf: &'id mut [MaybeUninit<T>],
    /// The index of `buf[0]` in the whole buffer.
    at: usize,
    /// `buf[..written]` holds values.
    written: usize,
    brand: Brand<'id>,
}

/// Proof that the values `at..at + len` of the buffer were written.
pub(crate) struct Written<'id> {
    at: usize,
    len: usize,
    brand: Brand<'id>,
}

impl<'id, T: Copy> Slots<'id, T> {
    /// How many values are still to be written.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.written
    }

    /// Two parts, before and after `mid` (of a part nothing was written to).
    ///
    /// # Panics
    /// Values were already written, or `mid` is beyond the end.
    pub(crate) fn split_at(self, mid: usize) -> (Self, Self) {
        assert_eq!(self.written, 0, "split_at: a part already written to");
        let (a, b) = self.buf.split_at_mut(mid);
        (
            Slots {
                buf: a,
                at: self.at,
                written: 0,
                brand: PhantomData,
            },
            Slots {
                buf: b,
                at: self.at + mid,
                written: 0,
                brand: PhantomData,
            },
        )
    }

    /// Writes `values` next.
    ///
    /// # Panics
    /// More values than remain.
    #[inline(always)]
    pub(crate) fn push_slice(&mut self, values: &[T]) {
        let end = self.written + values.len();
        for (d, &v) in self.buf[self.written..end].iter_mut().zip(values) {
            d.write(v);
        }
        self.written = end;
    }

    /// The receipt of a part written in full.
    ///
    /// # Panics
    /// Values remain to be written.
    pub(crate) fn finish(self) -> Written<'id> {
        assert_eq!(self.remaining(), 0, "finish: a part not written in full");
        Written {
            at: self.at,
            len: self.buf.len(),
            brand: PhantomData,
        }
    }
}

impl<'id> Written<'id> {
    /// The receipt of this part and the one right after it.
    ///
    /// # Panics
    /// `next` does not start where this part ends.
    pub(crate) fn join(self, next: Written<'id>) -> Written<'id> {
        assert_eq!(self.at + self.len, next.at, "join: parts not adjacent");
        Written {
            at: self.at,
            len: self.len + next.len,
            brand: self.brand,
        }
    }
}

/// A vector of `len` values written by `write`, which gets the whole
/// uninitialised buffer as [`Slots`] and returns the receipt for all of it
/// (and a result of its own).
///
/// # Panics
/// The receipt is not for the whole buffer (or `write` panics; the buffer
/// is then freed, no value read).
pub(crate) fn vec_written_by<T: Copy, R>(
    len: usize,
    write: impl for<'id> FnOnce(Slots<'id, T>) -> (Written<'id>, R),
) -> (Vec<T>, R) {
    let mut out: Vec<T> = Vec::with_capacity(len);
    let (receipt, result) = write(Slots {
        buf: &mut out.spare_capacity_mut()[..len],
        at: 0,
        written: 0,
        brand: PhantomData,
    });
    assert!(
        receipt.at == 0 && receipt.len == len,
        "vec_written_by: the receipt is not for the whole buffer"
    );
    // SAFETY: the receipt, branded with this call's lifetime, can only come
    // from `Slots::finish` on parts of this buffer (joined only when
    // adjacent), and `finish` checks that every value of its part was
    // written; it covers 0..len, so the first `len` values are initialised
    // (and `len` <= the capacity, as the slice above was taken).
    unsafe { out.set_len(len) };
    (out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_written_on_two_threads_make_the_vector() {
        let (v, r) = vec_written_by(10, |s| {
            let (a, b) = s.split_at(4);
            let (wa, wb) = rayon::join(
                move || {
                    let mut a = a;
                    a.push_slice(&[0.0, 1.0]);
                    a.push_slice(&[2.0, 3.0]);
                    a.finish()
                },
                move || {
                    let mut b = b;
                    let vals: Vec<f64> = (4..10).map(f64::from).collect();
                    b.push_slice(&vals);
                    b.finish()
                },
            );
            (wa.join(wb), 7)
        });
        assert_eq!(v, (0..10).map(f64::from).collect::<Vec<_>>());
        assert_eq!(r, 7);
        let (empty, ()) = vec_written_by::<f64, _>(0, |s| (s.finish(), ()));
        assert!(empty.is_empty());
    }

    #[test]
    fn a_part_left_short_or_a_wrong_receipt_panics() {
        let short = std::panic::catch_unwind(|| {
            vec_written_by::<f64, _>(4, |mut s| {
                s.push_slice(&[1.0, 2.0, 3.0]);
                (s.finish(), ())
            })
        });
        assert!(short.is_err());
        let half = std::panic::catch_unwind(|| {
            vec_written_by::<f64, _>(4, |s| {
                let (mut a, _b) = s.split_at(2);
                a.push_slice(&[1.0, 2.0]);
                (a.finish(), ())
            })
        });
        assert!(half.is_err());
        let swapped = std::panic::catch_unwind(|| {
            vec_written_by::<f64, _>(4, |s| {
                let (mut a, mut b) = s.split_at(2);
                a.push_slice(&[1.0, 2.0]);
                b.push_slice(&[3.0, 4.0]);
                (b.finish().join(a.finish()), ())
            })
        });
        assert!(swapped.is_err());
        let too_many = std::panic::catch_unwind(|| {
            vec_written_by::<f64, _>(2, |mut s| {
                s.push_slice(&[1.0, 2.0, 3.0]);
                (s.finish(), ())
            })
        });
        assert!(too_many.is_err());
    }
}
