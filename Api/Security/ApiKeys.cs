using System.Security.Cryptography;
using System.Text;

namespace Events.Api.Security;

/// <summary>
/// Finds the client a presented key belongs to. Keys are kept only as SHA-256 digests and compared in constant time,
/// every key every time, so neither the answer time nor memory dumps tell a key.
/// </summary>
public sealed class ApiKeys
{
    private readonly (string Client, byte[] Digest)[] _keys;

    public ApiKeys(AuthOptions options)
    {
        Enabled = options.Enabled;
        _keys = options.Keys.SelectMany(kv => kv.Value.Select(key => (kv.Key, Digest(key)))).ToArray();
    }

    public bool Enabled { get; }

    /// <summary>The client id of <paramref name="presented"/>, or null when it is no active key.</summary>
    public string? ClientOf(string? presented)
    {
        var digest = Digest(presented ?? "");
        string? client = null;
        foreach (var (owner, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key) && !string.IsNullOrEmpty(presented))
            {
                client ??= owner;
            }
        }
        return client;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
