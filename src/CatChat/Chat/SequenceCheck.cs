namespace CatChat.Chat;

/// <summary>How a message's sequence number fits what was heard from its node before.</summary>
public enum SequenceCheck
{
    /// <summary>The next one expected (or the first since the node's users were read from the store).</summary>
    InOrder,

    /// <summary>The first heard from this node: if it is not its first message, this node missed some.</summary>
    First,

    /// <summary>Messages were lost in between: what this node knows of the sender's users may be stale.</summary>
    Gap,

    /// <summary>Already seen: dropped, so nothing is delivered twice.</summary>
    Duplicate,
}
