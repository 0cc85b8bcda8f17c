//! Cognito's SRP-6a: `USER_SRP_AUTH`, `DEVICE_SRP_AUTH` and the ConfirmDevice verifier.
//!
//! Cognito runs SRP-6a over the RFC 5054 3072-bit group with its own encoding rules. Every
//! integer that is hashed is first encoded as Java's `BigInteger.toByteArray()` (written PAD
//! below: minimal two's complement, a `00` sign byte when the top bit is set).
//!
//! | symbol | value |
//! |---|---|
//! | N, g | the RFC 5054 3072-bit prime, **g = 2** (not RFC 5054's 5) |
//! | k | H(PAD(N) ‖ PAD(g)) |
//! | a | the client's ephemeral secret, 32 to 384 random bytes from the caller |
//! | A | g^a mod N, sent as `SRP_A` in lowercase hex without leading zeros |
//! | B, salt | `SRP_B` and `SALT` from the `PASSWORD_VERIFIER` challenge (hex; SALT may be negative) |
//! | u | H(PAD(A) ‖ PAD(B)), refused when zero |
//! | x | H(PAD(salt) ‖ H(poolName ‖ userIdForSrp ‖ ":" ‖ password)) |
//! | S | (B − k·g^x)^(a + u·x) mod N |
//! | key | HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key"), 16 bytes |
//! | signature | base64(HMAC-SHA256(key, poolName ‖ userIdForSrp ‖ SECRET_BLOCK bytes ‖ TIMESTAMP)) |
//!
//! H is SHA-256. poolName is the part of the user-pool id after the `_`; userIdForSrp is the
//! challenge's `USER_ID_FOR_SRP`. For a remembered device (`DEVICE_PASSWORD_VERIFIER`) the same
//! computation runs with poolName := DeviceGroupKey, userIdForSrp := DeviceKey and the stored
//! device password. There is no M1/M2 exchange: the tokens Cognito returns are the server's proof.
//!
//! Every computation that involves a secret (a, x, S) is constant-time Montgomery arithmetic
//! from `crypto-bigint`, with exponents sized to their public bit length. Powers of the fixed
//! generator (A = g^a, g^x, the device verifier) use a comb over tables precomputed at build
//! time: about 3x fewer multiplications than a windowed exponentiation, lookups that read every
//! table entry, and no setup cost at run time (96 KiB of constants). Two things leak by
//! design of the protocol: the length of a, and the number of leading zero bytes of S (PAD
//! strips them before hashing).
//!
//! ```
//! use cognito_auth_core::srp::{EphemeralSecret, PasswordVerifierChallenge, SrpClient, SrpIdentity};
//! use cognito_auth_core::{SecretString, UnixTime, UserPoolId};
//!
//! // 1. InitiateAuth: draw 32 random bytes (the FFI uses getrandom), send SRP_A.
//! let random_bytes = [0x5a_u8; 32]; // use a CSPRNG in real code
//! let client = SrpClient::new(&EphemeralSecret::from_bytes(&random_bytes)?)?;
//! let srp_a: String = client.public_key_hex();
//!
//! // 2. Cognito answers PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP.
//! let challenge = PasswordVerifierChallenge::parse(
//!     "-6b1f0e2d3c4b5a697887a6b5c4d3e2f1",        // SALT (Cognito really sends negative ones)
//!     &"c0ffee".repeat(100),                      // SRP_B
//!     "uZdqvxzu0v/ZBzqxUqWRah3d1NtgcSuFSLASs2Ki", // SECRET_BLOCK
//! )?;
//! let pool = UserPoolId::parse("us-east-1_Abc123XyZ")?;
//! let claim = client.password_claim(
//!     SrpIdentity::user(&pool, "carol"),
//!     &SecretString::new("Tr0ub4dor&3"),
//!     &challenge,
//!     UnixTime::from_secs(1_835_481_599),
//! )?;
//!
//! // 3. RespondToAuthChallenge with these three values (plus USERNAME and the Session).
//! assert_eq!(claim.timestamp, "Tue Feb 29 23:59:59 UTC 2028");
//! assert_eq!(claim.secret_block, "uZdqvxzu0v/ZBzqxUqWRah3d1NtgcSuFSLASs2Ki");
//! assert_eq!(claim.signature.len(), 44);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod client;
mod device;
mod error;
mod fixed_base;
mod generator_comb;
pub(crate) mod group;
pub(crate) mod java_integer;
mod montgomery_square;

pub use client::{
    EphemeralSecret, PasswordClaim, PasswordVerifierChallenge, SrpClient, SrpIdentity,
};
pub use device::{DeviceSecretVerifierConfig, DeviceVerifier};
pub use error::SrpError;

#[cfg(test)]
mod known_answer_tests;
mod wiped_pow;
