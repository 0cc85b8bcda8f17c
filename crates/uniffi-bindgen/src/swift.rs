//! `uniffi-bindgen-swift`: Swift sources, the C header and the module map for
//! `cognito-auth-ffi`, as separate outputs (Xcode / SwiftPM packaging).

fn main() {
    uniffi::uniffi_bindgen_swift();
}
