using System.Buffers.Binary;
using System.Buffers.Text;

namespace CatChat.Chat;

/// <summary>
/// A place in the stored history, newest first: a page from here holds the lines stored before
/// (<see cref="Time"/>, <see cref="Id"/>). The id breaks ties between lines that share a time, so
/// paging neither skips nor repeats a line. On the wire it is opaque: base64url of the two numbers.
/// </summary>
public readonly record struct HistoryCursor(DateTimeOffset Time, long Id)
{
    private const int EncodedBytes = 2 * sizeof(long);

    /// <summary>Every line stored before <paramref name="time"/>: ids start at 1, so id 0 ends nothing early.</summary>
    public static HistoryCursor Before(DateTimeOffset time) => new(time, 0);

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[EncodedBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Time.UtcTicks);
        BinaryPrimitives.WriteInt64BigEndian(bytes[sizeof(long)..], Id);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads a cursor made by <see cref="Encode"/>; false for anything else.</summary>
    public static bool TryParse(string? text, out HistoryCursor cursor)
    {
        cursor = default;

        // 16 bytes are 22 base64url characters; a longer text cannot be a cursor, so it is not decoded at all.
        if (text is null || text.Length != Base64Url.GetEncodedLength(EncodedBytes) || !text.All(IsBase64UrlCharacter))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[EncodedBytes + 2];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != EncodedBytes)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // It throws, rather than answering false, when the last character's unused bits are not zero.
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes[sizeof(long)..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || id < 1)
        {
            return false;
        }

        cursor = new HistoryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }

    // The decoder throws on some invalid input rather than answering false; the alphabet is checked first.
    private static bool IsBase64UrlCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
