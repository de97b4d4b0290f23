using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// Writes what one xrdp 0.9.21 instance needs into its folder: a self-signed TLS certificate and key, and an xrdp.ini
/// whose single session type (libvnc.so) either reaches the host's own Xvnc for any credentials (<see cref="Write"/>,
/// no sesman) or logs the user in through xrdp-sesman (<see cref="WriteForSesman"/>, <see cref="WriteSesman"/>). Logging is at DEBUG because that level carries "Client supplied username: U", the line that
/// proves which host an RDP client reached.
/// </summary>
public static class XrdpConfig
{
    public static string Write(string directory, string hostName, IPEndPoint listen, IPEndPoint vnc)
    {
        var ini = Common(directory, hostName, listen)
            .AppendLine($"[{hostName}]")
            .AppendLine($"name={hostName}")
            .AppendLine("lib=libvnc.so")
            // The Xvnc uses security type None: the module's credentials are never asked for.
            .AppendLine("username=na")
            .AppendLine("password=na")
            .AppendLine($"ip={vnc.Address}")
            .AppendLine($"port={vnc.Port}");
        return Save(directory, "xrdp.ini", ini);
    }

    /// <summary>
    /// An xrdp.ini whose session type logs the RDP user in through xrdp-sesman at <paramref name="sesman"/> (port -1:
    /// sesman starts an Xvnc session for the user and xrdp's libvnc joins it with the user's own password).
    /// </summary>
    public static string WriteForSesman(string directory, string hostName, IPEndPoint listen, IPAddress sesman)
    {
        var ini = Common(directory, hostName, listen)
            .AppendLine($"[{hostName}]")
            .AppendLine($"name={hostName}")
            .AppendLine("lib=libvnc.so")
            .AppendLine("username=ask")
            .AppendLine("password=ask")
            .AppendLine($"ip={sesman}")
            .AppendLine("port=-1");
        return Save(directory, "xrdp.ini", ini);
    }

    /// <summary>
    /// A sesman.ini for one test host: sesman on <paramref name="address"/>:<paramref name="port"/>, Xvnc sessions from
    /// display <paramref name="displayOffset"/> on listening only on <paramref name="address"/>, every session running
    /// <paramref name="windowManager"/>, and Policy=Default: one session per (user, colour depth), so a user who
    /// reconnects (from any address) is given the session they left.
    /// </summary>
    public static string WriteSesman(string directory, IPAddress address, int port, int displayOffset, string windowManager)
    {
        var ini = new StringBuilder()
            .AppendLine("[Globals]")
            .AppendLine($"ListenAddress={address}")
            .AppendLine($"ListenPort={port}")
            .AppendLine("EnableUserWindowManager=false")
            .AppendLine($"DefaultWindowManager={windowManager}")
            .AppendLine("ReconnectScript=/bin/true")
            .AppendLine()
            .AppendLine("[Security]")
            .AppendLine("AllowRootLogin=false")
            .AppendLine("MaxLoginRetry=1")
            .AppendLine("AlwaysGroupCheck=false")
            .AppendLine()
            .AppendLine("[Sessions]")
            .AppendLine($"X11DisplayOffset={displayOffset}")
            .AppendLine("MaxSessions=5")
            .AppendLine("KillDisconnected=false")
            .AppendLine("DisconnectedTimeLimit=0")
            .AppendLine("IdleTimeLimit=0")
            .AppendLine("Policy=Default")
            .AppendLine()
            .AppendLine("[Logging]")
            .AppendLine($"LogFile={Path.Combine(directory, "sesman.log")}")
            .AppendLine("LogLevel=INFO")
            .AppendLine("EnableSyslog=false")
            .AppendLine()
            .AppendLine("[Xvnc]")
            .AppendLine("param=Xvnc")
            .AppendLine("param=-bs")
            .AppendLine("param=-nolisten")
            .AppendLine("param=tcp")
            .AppendLine("param=-interface")
            .AppendLine($"param={address}")
            .AppendLine()
            .AppendLine("[Chansrv]")
            .AppendLine("FuseMountName=thinclient_drives")
            .AppendLine()
            .AppendLine("[ChansrvLogging]")
            .AppendLine("LogLevel=INFO")
            .AppendLine("EnableSyslog=false");
        return Save(directory, "sesman.ini", ini);
    }

    private static StringBuilder Common(string directory, string hostName, IPEndPoint listen)
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
            .AppendLine();
        return ini;
    }

    private static string Save(string directory, string name, StringBuilder text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
