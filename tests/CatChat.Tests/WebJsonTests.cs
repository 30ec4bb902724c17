using System.Text;
using System.Text.Json;
using CatChat.Chat;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class WebJsonTests
{
    // Each message is one whole text frame around compact JSON.
    private static JsonElement Parse(byte[] frame)
    {
        Assert.Equal(TextFrame.FirstByte, frame[0]);
        var header = frame[1] < 126 ? 2 : 4; // No message here reaches 64 KiB.
        var length = header == 2 ? frame[1] : (frame[2] << 8) | frame[3];
        Assert.Equal(frame.Length - header, length);
        var json = frame[header..];
        Assert.DoesNotContain((byte)'\n', json);
        return JsonDocument.Parse(json).RootElement;
    }

    [Fact]
    public void ALineIsOneJsonObjectOnOneLineWithoutItsPlainTextCopy()
    {
        var delivery = new Delivery(DeliveryKind.Line, "<bob> hi\nthere")
        {
            Nick = "bob",
            From = new Identity("bob", "nc", "netcat"),
            RoomName = "#lobby",
            Text = "hi\nthere",
            At = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero),
        };

        var message = Parse(WebJson.ForDelivery(delivery)!);

        Assert.Equal("line", message.GetProperty("type").GetString());
        Assert.Equal("bob", message.GetProperty("nick").GetString());
        Assert.Equal("#lobby", message.GetProperty("room").GetString());
        Assert.Equal("hi\nthere", message.GetProperty("text").GetString());
        Assert.False(message.TryGetProperty("line", out _));
        Assert.Equal(delivery.At.ToUnixTimeMilliseconds(), message.GetProperty("at").GetInt64());
    }

    [Fact]
    public void AnArrivalKeepsItsPlainTextLineForThePageToShow()
    {
        var delivery = new Delivery(DeliveryKind.Arrived, "*** carol has joined") { Nick = "carol", Rooms = ["#lobby"] };

        var message = Parse(WebJson.ForDelivery(delivery)!);

        Assert.Equal("arrived", message.GetProperty("type").GetString());
        Assert.Equal("*** carol has joined", message.GetProperty("line").GetString());
    }

    [Fact]
    public void IrcColourCodesAreStrippedAndMarkupIsEscapedInTheBytes()
    {
        var delivery = new Delivery(DeliveryKind.Line, "<bob> red <img>") { Nick = "bob", Text = "\u000304red\u0003 <img>" };

        var bytes = WebJson.ForDelivery(delivery)!;

        Assert.Equal("red <img>", Parse(bytes).GetProperty("text").GetString());
        Assert.DoesNotContain("<img>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void ChangesOnlyIrcClientsFollowAreNotSentToBrowsers()
    {
        Assert.Null(WebJson.ForDelivery(new Delivery(DeliveryKind.Mode, string.Empty) { Text = "+o bob" }));
        Assert.Null(WebJson.ForDelivery(new Delivery(DeliveryKind.TagMessage, string.Empty)));
        Assert.Null(WebJson.ForDelivery(new Delivery(DeliveryKind.AwayChanged, string.Empty) { Text = "lunch" }));
        Assert.Null(WebJson.ForDelivery(new Delivery(DeliveryKind.RealNameChanged, string.Empty) { Text = "Robert" }));
    }

    [Theory]
    [InlineData("! Server full: too many connections. Try again later.", "error", "Server full: too many connections. Try again later.")]
    [InlineData("*** Goodbye!", "notice", "Goodbye!")]
    [InlineData("plain words", "notice", "plain words")]
    public void APlainLineIsWrappedAsAnErrorOrANotice(string line, string type, string text)
    {
        var message = Parse(WebJson.FromPlainLine(Encoding.UTF8.GetBytes(line)));

        Assert.Equal(type, message.GetProperty("type").GetString());
        Assert.Equal(text, message.GetProperty("text").GetString());
    }
}
