namespace CatChat.Protocol.Tests;

public class HttpRequestSnifferTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1")]
    [InlineData("POST /x HTTP/1.0")]
    [InlineData("PUT /upload HTTP/1.1")]
    [InlineData("HEAD / HTTP/1.0")]
    [InlineData("DELETE /thing HTTP/1.1")]
    [InlineData("OPTIONS * HTTP/1.1")]
    [InlineData("PATCH /a?b=c HTTP/1.1")]
    [InlineData("CONNECT example.com:443 HTTP/1.1")]
    [InlineData("TRACE / HTTP/1.1")]
    [InlineData("PRI * HTTP/2.0")]
    [InlineData("POST /chat%20port HTTP/1.1")]
    public void RequestLineIsHttp(string line) => Assert.True(HttpRequestSniffer.LooksLikeHttp(line));

    [Theory]
    [InlineData("Host: example.com")]
    [InlineData("host: example.com")]
    [InlineData("HOST: example.com")]
    [InlineData("hOsT:example.com:6667")]
    public void HostHeaderInAnyCaseIsHttp(string line) => Assert.True(HttpRequestSniffer.LooksLikeHttp(line));

    [Theory]
    [InlineData("GET me a coffee")]
    [InlineData("hello")]
    [InlineData("POST-mortem HTTP/1.1")]
    [InlineData("GETTING / HTTP/1.1")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" GET / HTTP/1.1")]
    [InlineData("/nick GET / HTTP/1.1")]
    [InlineData("Hostile: takeover")]
    [InlineData("Hosting is fun")]
    [InlineData("the Host: header")]
    [InlineData("get / http/1.1")]
    [InlineData("HTTP/1.1 200 OK")]
    public void OrdinaryChatLineIsNotHttp(string line) => Assert.False(HttpRequestSniffer.LooksLikeHttp(line));
}
