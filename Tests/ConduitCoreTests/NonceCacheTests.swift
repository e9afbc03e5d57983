import ConduitCore
import Testing

@Suite("Nonce cache")
struct NonceCacheTests {
    @Test func aPairIsRefusedWhileRemembered() {
        let cache = NonceCache()
        #expect(cache.insert(keyid: "a", nonce: "n", until: 130, now: 100))
        #expect(!cache.insert(keyid: "a", nonce: "n", until: 131, now: 101))
        #expect(cache.insert(keyid: "b", nonce: "n", until: 131, now: 101))
    }

    @Test func expiredPairsAreForgotten() {
        let cache = NonceCache()
        #expect(cache.insert(keyid: "a", nonce: "old", until: 110, now: 100))
        #expect(cache.insert(keyid: "a", nonce: "new", until: 150, now: 120))
        #expect(cache.count == 1)
    }
}
