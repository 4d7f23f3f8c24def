#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| blog::fuzz::content_file(data));
