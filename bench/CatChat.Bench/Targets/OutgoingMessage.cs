namespace CatChat.Bench.Targets;

/// <summary>
/// One sender's reusable wire bytes for a benchmark message: the protocol's framing around the message text.
/// The sender rewrites the text's sequence number and timestamp in place before each send.
/// </summary>
internal sealed class OutgoingMessage(byte[] bytes, int textOffset, int textLength)
{
    public byte[] Bytes { get; } = bytes;

    public Memory<byte> Text => Bytes.AsMemory(textOffset, textLength);
}
