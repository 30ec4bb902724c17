using System.Buffers;
using System.Text;
using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class WebCommandTests
{
    private static WebCommand? Parse(string json, out string? error) =>
        WebCommand.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), out error);

    [Fact]
    public void EachMessageTypeIsParsedWithItsFields()
    {
        Assert.Equal(new WebCommand(WebCommandKind.Hello, Nick: "alice"), Parse("""{"type":"hello","nick":"alice"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Say, Text: "/not a command"), Parse("""{"text":"/not a command","type":"say"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Me, Text: "waves"), Parse("""{"type":"me","text":"waves"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Join, Room: "#cats"), Parse("""{"type":"join","room":"#cats"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Part, Text: "bye", Room: "#cats"), Parse("""{"type":"part","room":"#cats","reason":"bye"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Part), Parse("""{"type":"part"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Msg, Text: "psst", To: "bob"), Parse("""{"type":"msg","to":"bob","text":"psst"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Nick, Nick: "al"), Parse("""{"type":"nick","nick":"al"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Rooms), Parse("""{"type":"rooms","extra":{"nested":[1,2]}}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Who, Room: "#cats"), Parse("""{"type":"who","room":"#cats"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Quit, Text: "lunch"), Parse("""{"type":"quit","reason":"lunch"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Topic, Text: "naps", Room: "#cats"), Parse("""{"type":"topic","room":"#cats","text":"naps"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.Topic, Text: string.Empty), Parse("""{"type":"topic","text":""}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.History, Room: "#cats", Cursor: "AAAA"), Parse("""{"type":"history","room":"#cats","cursor":"AAAA"}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.History, Before: 1765000000123), Parse("""{"type":"history","before":1765000000123}""", out _));
        Assert.Equal(new WebCommand(WebCommandKind.History), Parse("""{"type":"history","room":null,"before":null}""", out _));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"type\":\"say\"", "not valid JSON")]
    [InlineData("{\"type\":\"say\",\"text\":\"a\"} trailing", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("\"say\"", "must be a JSON object")]
    [InlineData("{}", "needs a \"type\"")]
    [InlineData("{\"type\":\"dance\"}", "Unknown message type \"dance\"")]
    [InlineData("{\"type\":\"say\"}", "A \"say\" message needs a non-empty \"text\" string.")]
    [InlineData("{\"type\":\"say\",\"text\":\"  \"}", "needs a non-empty \"text\"")]
    [InlineData("{\"type\":\"say\",\"text\":5}", "\"text\" must be a string.")]
    [InlineData("{\"type\":\"join\",\"room\":[\"#cats\"]}", "\"room\" must be a string.")]
    [InlineData("{\"type\":\"history\",\"cursor\":42}", "\"cursor\" must be a string.")]
    [InlineData("{\"type\":\"history\",\"before\":1e3}", "\"before\" must be a whole number")]
    [InlineData("{\"type\":\"history\",\"before\":1.5}", "\"before\" must be a whole number")]
    [InlineData("{\"type\":\"history\",\"before\":\"0\"}", "\"before\" must be a whole number")]
    [InlineData("{\"type\":\"history\",\"before\":true}", "\"before\" must be a whole number")]
    [InlineData("{\"type\":\"history\",\"before\":1234567890123456789012345678901234567890}", "\"before\" must be a whole number")]
    [InlineData("{\"type\":\"msg\",\"text\":\"hi\"}", "needs a non-empty \"to\"")]
    [InlineData("{\"type\":\"topic\",\"room\":\"#cats\"}", "A \"topic\" message needs a \"text\" string (an empty one clears the topic).")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "not valid JSON")]
    public void AMessageThatIsNotOneIsRefusedWithTheReason(string json, string reason)
    {
        Assert.Null(Parse(json, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
