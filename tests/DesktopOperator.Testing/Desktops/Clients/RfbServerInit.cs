namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>What an RFB server announced: its protocol version line and its ServerInit message.</summary>
public sealed record RfbServerInit(string ServerVersion, int Width, int Height, int BitsPerPixel, string DesktopName);
