using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Events.Tests.Security;

/// <summary>A self-signed server certificate for 127.0.0.1, written as a password-protected PKCS#12 file for the Api.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("events-tls-").FullName;

    public TestCertificate(string password, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // server auth
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), notAfter ?? now.AddDays(30));
        Thumbprint = certificate.Thumbprint;
        Path = System.IO.Path.Combine(_directory, "api.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, password));
        PemPath = System.IO.Path.Combine(_directory, "api.crt");
        KeyPemPath = System.IO.Path.Combine(_directory, "api.key");
        File.WriteAllText(PemPath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Path { get; }
    public string PemPath { get; }
    public string KeyPemPath { get; }
    public string Thumbprint { get; }

    /// <summary>A handler that trusts this certificate only (pinned by thumbprint), as a client given the Api's certificate would.</summary>
    public SocketsHttpHandler Handler() => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == Thumbprint },
    };

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
