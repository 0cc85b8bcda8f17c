//! `uniffi-bindgen-dart`: Dart bindings for `cognito-auth-ffi` (uniffi-bindgen-dart 0.2.0,
//! embedded so that it shares the `uniffi_bindgen` build with the other generators).

#![allow(
    clippy::print_stderr,
    reason = "a command-line tool reports its error on stderr"
)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match uniffi_bindgen_dart::run(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("uniffi-bindgen-dart: {error:#}");
            ExitCode::FAILURE
        }
    }
}
