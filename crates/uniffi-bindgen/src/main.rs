//! `uniffi-bindgen`: Kotlin, Python and Swift bindings for `cognito-auth-ffi`.
//! Run through `bindings/generate.sh`, which passes the root `uniffi.toml`.

fn main() {
    uniffi::uniffi_bindgen_main();
}
