using CatChat.FrontDoors.WebSocket;

namespace CatChat.Tests;

public sealed class OriginPolicyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1:8080")]
    [InlineData("https://chat.example.com", "chat.example.com")]
    [InlineData("HTTPS://Chat.Example.com", "chat.example.com")]
    [InlineData("http://[::1]:8080", "[::1]:8080")]
    public void APageOfTheServersOwnHostMayOpenASocket(string origin, string host) =>
        Assert.True(OriginPolicy.Allows(origin, host, []));

    [Theory]
    [InlineData("https://evil.example.net", "chat.example.com")]
    [InlineData("http://127.0.0.1:9999", "127.0.0.1:8080")]
    [InlineData("https://chat.example.com.evil.net", "chat.example.com")]
    [InlineData("null", "chat.example.com")]
    [InlineData("file://chat.example.com", "chat.example.com")]
    public void APageOfAnyOtherOriginMayNot(string origin, string host) =>
        Assert.False(OriginPolicy.Allows(origin, host, []));

    [Fact]
    public void AListedOriginMayOpenASocket() =>
        Assert.True(OriginPolicy.Allows("https://www.example.com", "chat.example.com", ["https://www.example.com"]));

    [Fact]
    public void AClientThatSendsNoOriginIsNotABrowserAndMay() =>
        Assert.True(OriginPolicy.Allows(null, "chat.example.com", []));
}
