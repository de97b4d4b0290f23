namespace DesktopOperator.Testing.ApiServer;

/// <summary>What a <see cref="ScriptedResponse"/> does with the request it takes.</summary>
public enum ScriptedBehavior
{
    /// <summary>Sends the response as written.</summary>
    Answer,

    /// <summary>Resets the connection without an answer (the client sees the request sent, then the connection gone).</summary>
    ResetConnection,

    /// <summary>Never answers; the request ends when the client gives up (or the server stops).</summary>
    NeverAnswer,
}
