// A SessionStore in the Keychain (Apple platforms only: Security is not in swift-corelibs).
#if canImport(Security)
import Foundation
import Security

/// Keeps the stored session as one generic-password Keychain item, readable after the first
/// unlock since boot, on this device only (never in a backup restored elsewhere, never synced
/// through iCloud Keychain): `kSecClassGenericPassword`,
/// `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`, so background refreshes work while the
/// device is locked.
///
///     let client = CognitoAuthClient(config: config, store: KeychainSessionStore(service: "com.example.app.cognito"))
///     try await client.restore()
public struct KeychainSessionStore: SessionStore {
    /// `kSecAttrService`: the app's own name for the item, e.g. its bundle id + ".cognito".
    public let service: String
    /// `kSecAttrAccount`: one item per account name (one per user pool client, say).
    public let account: String
    /// `kSecAttrAccessGroup`, to share the session with an app extension; nil for the app's own.
    public let accessGroup: String?

    public init(service: String, account: String = "session", accessGroup: String? = nil) {
        self.service = service
        self.account = account
        self.accessGroup = accessGroup
    }

    /// The item `<account>.<name>` of the same service and access group, kept the same way
    /// (the client's hosted-UI pending sign-in and identity ids).
    public func sibling(_ name: String) -> SessionStore {
        KeychainSessionStore(service: service, account: "\(account).\(name)", accessGroup: accessGroup)
    }

    private func baseQuery() -> [String: Any] {
        var query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
        if let group = accessGroup {
            query[kSecAttrAccessGroup as String] = group
        }
        return query
    }

    public func load() throws -> String? {
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound {
            return nil
        }
        guard status == errSecSuccess, let data = item as? Data else {
            throw CognitoAuthClientError.keychain(status: status)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Updates the item, or adds it (with the accessibility above) if there is none.
    public func save(_ value: String) throws {
        let data = Data(value.utf8)
        let update: [String: Any] = [
            kSecValueData as String: data,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
        ]
        let status = SecItemUpdate(baseQuery() as CFDictionary, update as CFDictionary)
        if status == errSecSuccess {
            return
        }
        guard status == errSecItemNotFound else {
            throw CognitoAuthClientError.keychain(status: status)
        }
        var add = baseQuery()
        add[kSecValueData as String] = data
        add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let added = SecItemAdd(add as CFDictionary, nil)
        guard added == errSecSuccess else {
            throw CognitoAuthClientError.keychain(status: added)
        }
    }

    public func delete() throws {
        let status = SecItemDelete(baseQuery() as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw CognitoAuthClientError.keychain(status: status)
        }
    }
}
#endif
