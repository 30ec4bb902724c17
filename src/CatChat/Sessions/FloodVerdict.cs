namespace CatChat.Sessions;

/// <summary>What flood control says of a line, for the front door to tell its user in its own words.</summary>
internal enum FloodVerdict
{
    /// <summary>Within the limit: act on it now.</summary>
    Pass,

    /// <summary>Over the limit: act on it after the wait.</summary>
    Delayed,

    /// <summary>Over the limit for the first time since the sender last paused: say so, then wait.</summary>
    StartedThrottling,

    /// <summary>Held back too long without a pause: disconnect.</summary>
    Disconnect,
}
