using System.Globalization;
using System.Net;
using System.Text;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// nginx configurations of the HTTP benchmark, everything under one prefix folder (logs, pid, temp files). The
/// static upstream serves <see cref="StaticFile"/> on every host address; the reverse proxy is nginx as a user would
/// put it in front of web desktops, made like for like with our gateway's Http pool: one process
/// (<c>master_process off</c>, so /proc/PID/stat holds all its CPU), <c>hash $remote_addr consistent</c> (our SourceHash
/// balancing with SourceIP affinity), keep-alive connections to the hosts (YARP pools them too), the X-Forwarded-*
/// headers YARP adds, and the WebSocket upgrade headers.
/// </summary>
internal static class NginxConfig
{
    /// <summary>The static page the HTTP scenarios fetch (under <c>/static/</c> through either proxy).</summary>
    public const string StaticFile = "page.html";

    public static string StaticUpstream(string prefix, IReadOnlyList<IPAddress> hosts, int port) =>
        Common(prefix, masterProcess: true)
        + "http {\n  access_log off;\n  keepalive_requests 1000000;\n" + Temp(prefix)
        + "  server {\n"
        + string.Concat(hosts.Select(h => $"    listen {h}:{port.ToString(CultureInfo.InvariantCulture)};\n"))
        + $"    root {prefix}/www;\n  }}\n}}\n";

    public static string ReverseProxy(string prefix, IPEndPoint listen, IReadOnlyList<IPAddress> hosts, int staticPort, int webSocketPort)
    {
        var text = new StringBuilder(Common(prefix, masterProcess: false))
            .Append("http {\n  access_log off;\n  keepalive_requests 1000000;\n").Append(Temp(prefix))
            .Append(Upstream("static_hosts", hosts, staticPort))
            .Append(Upstream("ws_hosts", hosts, webSocketPort))
            .Append("  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n")
            .Append(CultureInfo.InvariantCulture, $"  server {{\n    listen {listen.Address}:{listen.Port};\n")
            .Append("    proxy_http_version 1.1;\n")
            .Append("    proxy_set_header X-Forwarded-For $remote_addr;\n")
            .Append("    proxy_set_header X-Forwarded-Proto $scheme;\n")
            .Append("    proxy_set_header X-Forwarded-Host $host;\n")
            .Append("    location /static/ {\n      proxy_pass http://static_hosts/;\n      proxy_set_header Connection \"\";\n    }\n")
            .Append("    location /ws/ {\n      proxy_pass http://ws_hosts/;\n")
            .Append("      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection $connection_upgrade;\n")
            .Append("      proxy_read_timeout 300s;\n      proxy_send_timeout 300s;\n    }\n  }\n}\n");
        return text.ToString();
    }

    private static string Common(string prefix, bool masterProcess) =>
        $"daemon off;\nmaster_process {(masterProcess ? "on" : "off")};\nworker_processes 1;\n"
        + $"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\nworker_rlimit_nofile 20000;\n"
        + "events { worker_connections 8192; }\n";

    private static string Temp(string prefix) => string.Concat(
        new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(t => $"  {t}_temp_path {prefix}/tmp/{t};\n"));

    private static string Upstream(string name, IReadOnlyList<IPAddress> hosts, int port) =>
        $"  upstream {name} {{\n    hash $remote_addr consistent;\n"
        + string.Concat(hosts.Select(h => $"    server {h}:{port.ToString(CultureInfo.InvariantCulture)};\n"))
        + "    keepalive 64;\n    keepalive_requests 1000000;\n  }\n";
}
