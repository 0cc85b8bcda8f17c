//! [`CodeDelivery`]: where Cognito sent a code.

use alloc::string::String;

/// Where Cognito sent a code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeDelivery {
    /// The masked destination, e.g. `+*******1234` or `a***@e***.com`.
    pub destination: Option<String>,
    /// `SMS`, `EMAIL`, ...
    pub medium: Option<String>,
    /// The attribute the code verifies (`email`, `phone_number`), when Cognito says.
    pub attribute_name: Option<String>,
}

impl CodeDelivery {
    /// Reads a `CodeDeliveryDetails` object (`Destination`, `DeliveryMedium`, `AttributeName`).
    pub(crate) fn from_details(
        details: &serde_json::Map<alloc::string::String, serde_json::Value>,
    ) -> Self {
        let text = |key: &str| {
            details
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(alloc::string::String::from)
        };
        Self {
            destination: text("Destination"),
            medium: text("DeliveryMedium"),
            attribute_name: text("AttributeName"),
        }
    }
}
