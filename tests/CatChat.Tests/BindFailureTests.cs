using System.Net.Sockets;
using CatChat.Hosting;

namespace CatChat.Tests;

/// <summary>A port in use is reported naming the setting that chose that port, and no other.</summary>
public class BindFailureTests
{
    private static readonly SocketException InUse = new((int)SocketError.AddressAlreadyInUse);

    private static CatChatSettings Ports()
    {
        var options = new CatChatSettings();
        options.Listener.ChatPort = 1400;
        options.Api.HttpPort = 8080;
        options.Irc.Port = 6667;
        options.Listener.TlsCertificate = "chat.pfx";
        options.Listener.TlsPort = 1401;
        options.Irc.TlsPort = 6697;
        return options;
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:1400", "--chat-port")]
    [InlineData("tcp://[::]:6667", "--irc-port")]
    [InlineData("http://127.0.0.1:8080", "--http-port")]
    [InlineData("https://[::1]:1401", "--tls-port")]
    [InlineData("https://0.0.0.0:6697", "--irc-tls-port")]
    public void PortInUseNamesTheSettingThatChoseIt(string address, string setting)
    {
        var port = address[(address.LastIndexOf(':') + 1)..];

        var described = CatChatApp.DescribeBindFailure(new IOException($"Failed to bind to address {address}: address already in use.", InUse), Ports());

        Assert.Equal($"cannot listen on port {port} ({setting}): {InUse.Message}", described);
    }

    [Fact]
    public void APortThatOnlyBeginsLikeASettingsPortIsNotBlamedOnIt()
    {
        var options = Ports();
        options.Api.HttpPort = 80;

        var described = CatChatApp.DescribeBindFailure(new IOException("Failed to bind to address tcp://127.0.0.1:8080: Address already in use", InUse), options);

        Assert.Equal("cannot listen: Failed to bind to address tcp://127.0.0.1:8080: Address already in use", described);
    }

    [Fact]
    public void TwoSettingsOnThePortInUseAreBothNamed()
    {
        var options = Ports();
        options.Irc.Port = 1400;

        var described = CatChatApp.DescribeBindFailure(new IOException("Failed to bind to address tcp://127.0.0.1:1400: Address already in use", InUse), options);

        Assert.StartsWith("cannot listen on port 1400 (--chat-port, --irc-port): ", described, StringComparison.Ordinal);
    }
}
