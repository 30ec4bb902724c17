using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CatChat.Testing;

namespace CatChat.IntegrationTests;

public sealed class TlsChatTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("catchat-tls-").FullName;

    [Fact]
    public async Task TlsClientAndPlainClientChatTogetherWithAPfxCertificate()
    {
        using var certificate = CreateSelfSigned();
        var pfx = Path.Combine(_directory, "chat.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret"));
        await using var server = await ChatServer.StartAsync("--tls-port", "0", "--tls-cert", pfx, "--tls-cert-password", "secret");

        await using var secure = await ConnectTlsAsync(server.TlsPort, certificate);
        await using var plain = await server.ConnectAsync();

        await secure.SendAsync("over tls");
        await plain.WaitForLineAsync($"<{secure.Nick}> over tls");
        await plain.SendAsync("over tcp");
        await secure.WaitForLineAsync($"<{plain.Nick}> over tcp");
    }

    [Fact]
    public async Task PemCertificateAndKeyServeTls()
    {
        using var certificate = CreateSelfSigned();
        var certPath = Path.Combine(_directory, "chat.crt");
        var keyPath = Path.Combine(_directory, "chat.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await ChatServer.StartAsync("--tls-port", "0", "--tls-cert", certPath, "--tls-key", keyPath);

        await using var secure = await ConnectTlsAsync(server.TlsPort, certificate);
        await using var other = await ConnectTlsAsync(server.TlsPort, certificate);

        await secure.SendAsync("pem works");
        await other.WaitForLineAsync($"<{secure.Nick}> pem works");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static async Task<TcpChatClient> ConnectTlsAsync(int port, X509Certificate2 expected)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false,
            (_, presented, _, _) => presented is not null && presented.GetCertHashString() == expected.GetCertHashString());
        await tls.AuthenticateAsClientAsync("localhost");
        var client = TcpChatClient.Over(socket, tls);
        await client.WaitForWelcomeAsync();
        return client;
    }
}
