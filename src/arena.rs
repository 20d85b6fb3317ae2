//! The wasm's allocator: a bump arena that the next operation resets.
//!
//! Every operation is a pure function from one JSON text to another (see `ops`), so nothing
//! allocated during one is needed after the JS shell has read its answer. Allocation is then
//! a pointer bump, freeing is nothing, and `input()` starts the next operation from an empty
//! arena. Memory grows to the largest operation's needs and is reused afterwards.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::Cell;
use core::ptr;

const PAGE: usize = 65_536;

pub struct Arena {
    /// Where the arena begins: the end of the memory the module started with.
    start: Cell<usize>,
    next: Cell<usize>,
    end: Cell<usize>,
}

// SAFETY: wasm32-unknown-unknown without threads runs on one thread only.
unsafe impl Sync for Arena {}

impl Arena {
    pub const fn new() -> Self {
        Self {
            start: Cell::new(0),
            next: Cell::new(0),
            end: Cell::new(0),
        }
    }

    /// Forgets every allocation.
    ///
    /// # Safety
    /// Nothing allocated before may be used afterwards.
    pub unsafe fn reset(&self) {
        self.next.set(self.start.get());
    }

    /// Makes room up to `stop`, growing the memory when needed.
    fn reserve(&self, stop: usize) -> bool {
        if stop > self.end.get() {
            let pages = (stop - self.end.get()).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                return false;
            }
            self.end.set(self.end.get() + pages * PAGE);
        }
        true
    }
}

unsafe impl GlobalAlloc for Arena {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if self.start.get() == 0 {
            let base = wasm32::memory_size(0) * PAGE;
            self.start.set(base);
            self.next.set(base);
            self.end.set(base);
        }
        let at = (self.next.get() + layout.align() - 1) & !(layout.align() - 1);
        let stop = at + layout.size();
        if !self.reserve(stop) {
            return ptr::null_mut();
        }
        self.next.set(stop);
        at as *mut u8
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The newest allocation (a string being written) grows in place.
        if ptr as usize + layout.size() == self.next.get() {
            let stop = ptr as usize + new_size;
            if !self.reserve(stop) {
                return ptr::null_mut();
            }
            self.next.set(stop);
            return ptr;
        }
        let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
        if !new.is_null() {
            ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}
