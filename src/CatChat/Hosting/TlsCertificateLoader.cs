using System.Security.Cryptography.X509Certificates;

namespace CatChat.Hosting;

/// <summary>Loads the TLS chat certificate: a PKCS#12 (.pfx/.p12) file, or PEM certificate and key files.</summary>
internal static class TlsCertificateLoader
{
    public static X509Certificate2 Load(ListenerOptions options)
    {
        var path = options.TlsCertificate;
        try
        {
            if (options.TlsKey.Length > 0)
            {
                using var pem = X509Certificate2.CreateFromPemFile(path, options.TlsKey);
                // Re-import so the private key is usable by SslStream on every platform.
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, options.TlsCertificatePassword.Length == 0 ? null : options.TlsCertificatePassword);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new SettingException($"invalid setting --tls-cert (CatChat:TlsCertificate): cannot load \"{path}\": {ex.Message}");
        }
    }
}
