using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CatChat.Api;

/// <summary>
/// Describes the API's security in the OpenAPI document: the admin token as a bearer scheme and the
/// dashboard's session cookie; admin operations name both, public ones say they need neither.
/// </summary>
internal static class OpenApiSecurity
{
    private const string Bearer = "adminToken";
    private const string Cookie = "dashboardSession";

    public static void Describe(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Description = "The REST API of CatChat: user count, banner, moderation, live events.";
            // Lint rules want server URLs without a trailing slash; the generated one has it.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }

            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                tag.Description ??= "Chat state and moderation.";
            }

            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [Bearer] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The admin token (CATCHAT_ADMIN_TOKEN, or the admin-token file in the data directory).",
                },
                [Cookie] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "catchat_session",
                    Description = "The dashboard's session after POST /api/session; writes also need the X-CSRF-TOKEN header.",
                },
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var needsAdmin = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any();
            operation.Security = needsAdmin
                ? [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, context.Document)] = [] },
                ]
                : [];
            return Task.CompletedTask;
        });
    }
}
