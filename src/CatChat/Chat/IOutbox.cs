namespace CatChat.Chat;

/// <summary>A connection's outbound queue as the chat sees it: hand over encoded lines, never wait.</summary>
public interface IOutbox
{
    /// <summary>
    /// Queues an encoded line (UTF-8 with CRLF) without waiting. The same array may be queued to many
    /// recipients, so it must not be changed afterwards. False when the recipient is gone or overflowing.
    /// </summary>
    bool TryEnqueue(byte[] encodedLine);
}
