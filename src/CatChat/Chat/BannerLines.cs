using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>The banner's lines, with their wire encoding made once when the banner is set.</summary>
internal sealed class BannerLines(IReadOnlyList<string> text)
{
    public IReadOnlyList<string> Text { get; } = text;

    public byte[][] Encoded { get; } = [.. text.Select(LineEncoder.Encode)];
}
