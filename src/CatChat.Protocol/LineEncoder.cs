using System.Text;

namespace CatChat.Protocol;

/// <summary>Encodes a line for the wire: UTF-8 with CRLF, once per message whatever the number of recipients.</summary>
public static class LineEncoder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Encode(string line) => Encode(line.AsSpan());

    public static byte[] Encode(ReadOnlySpan<char> line)
    {
        var bytes = new byte[Utf8.GetByteCount(line) + 2];
        var written = Utf8.GetBytes(line, bytes);
        bytes[written] = (byte)'\r';
        bytes[written + 1] = (byte)'\n';
        return bytes;
    }
}
