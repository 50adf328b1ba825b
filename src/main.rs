// Loading a large timeline makes millions of small allocations; mimalloc makes them cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3's `mi_option_purge_delay` (its `mi_option_e` has no Rust name for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Memory freed while a timeline loads (each piece of the file once parsed)
    // goes back to the system at once. mimalloc's default keeps it a second,
    // which adds those pieces to the peak: 295 MB instead of 209 MB for 100,000
    // events inline (benches/memory.sh).
    // SAFETY: sets a plain integer option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    annals::cli::main()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // mimalloc v3 delays purging by 1,000 ms unless told otherwise; another
        // option at this index would say something else.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert_eq!(delay, 1000);
        }
    }
}
