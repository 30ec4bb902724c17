using System.Security.Cryptography;
using System.Text;

namespace CatChat.Api;

/// <summary>
/// The administrator's bearer token. Only its SHA-256 is kept in memory; comparisons are in constant time.
/// </summary>
public sealed class AdminToken
{
    private readonly byte[] _hash;

    public AdminToken(string token, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Source = source;
    }

    /// <summary>Where the token came from (an environment variable or a file path), for the logs.</summary>
    public string Source { get; }

    public bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time whatever the candidate's length.
        return CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
    }
}
