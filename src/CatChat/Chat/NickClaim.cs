namespace CatChat.Chat;

/// <summary>The cluster's answer to a request for a nickname.</summary>
public enum NickClaim
{
    Claimed,
    Taken,

    /// <summary>The cluster could not be asked (split, or too slow to answer).</summary>
    Unavailable,
}
