using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// Writes what one xrdp 0.9.21 instance needs into its folder: a self-signed TLS certificate and key, and an xrdp.ini
/// whose single session type (libvnc.so, run automatically for any credentials) reaches the host's own Xvnc. No
/// sesman is involved. Logging is at DEBUG because that level carries "Client supplied username: U", the line that
/// proves which host an RDP client reached.
/// </summary>
public static class XrdpConfig
{
    public static string Write(string directory, string hostName, IPEndPoint listen, IPEndPoint vnc)
    {
        var certificate = Path.Combine(directory, "cert.pem");
        var key = Path.Combine(directory, "key.pem");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest($"CN={hostName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            File.WriteAllText(certificate, cert.ExportCertificatePem() + "\n");
            File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem() + "\n");
        }

        var ini = new StringBuilder()
            .AppendLine("[Globals]")
            .AppendLine("ini_version=1")
            // Threads, not a process per connection: one PID to kill.
            .AppendLine("fork=false")
            .AppendLine($"port=tcp://{listen.Address}:{listen.Port}")
            .AppendLine("use_vsock=false")
            .AppendLine("tcp_nodelay=true")
            .AppendLine("security_layer=negotiate")
            .AppendLine("crypt_level=high")
            .AppendLine($"certificate={certificate}")
            .AppendLine($"key_file={key}")
            .AppendLine("ssl_protocols=TLSv1.2, TLSv1.3")
            .AppendLine($"autorun={hostName}")
            // Channels must be allowed: xfreerdp fails the MCS channel join when the server grants none.
            .AppendLine("allow_channels=true")
            .AppendLine("allow_multimon=false")
            .AppendLine("max_bpp=24")
            .AppendLine("bitmap_cache=true")
            .AppendLine("bitmap_compression=true")
            .AppendLine()
            .AppendLine("[Logging]")
            .AppendLine($"LogFile={Path.Combine(directory, "xrdp.log")}")
            .AppendLine("LogLevel=DEBUG")
            .AppendLine("EnableSyslog=false")
            .AppendLine()
            .AppendLine("[Channels]")
            .AppendLine("rdpdr=true")
            .AppendLine("rdpsnd=true")
            .AppendLine("drdynvc=true")
            .AppendLine("cliprdr=true")
            .AppendLine("rail=true")
            .AppendLine("xrdpvr=true")
            .AppendLine()
            .AppendLine($"[{hostName}]")
            .AppendLine($"name={hostName}")
            .AppendLine("lib=libvnc.so")
            // The Xvnc uses security type None: the module's credentials are never asked for.
            .AppendLine("username=na")
            .AppendLine("password=na")
            .AppendLine($"ip={vnc.Address}")
            .AppendLine($"port={vnc.Port}");
        var path = Path.Combine(directory, "xrdp.ini");
        File.WriteAllText(path, ini.ToString());
        return path;
    }
}
