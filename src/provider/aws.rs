//! `aws-sm://` references: AWS Secrets Manager, through the AWS SDK for Rust.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_secretsmanager::config::{Credentials, Region};
use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::detail::BackendDetail;
use super::{FetchContext, Fetched, ProviderError, ProviderErrorKind, SecretProvider, SecretRef};
use crate::secret::into_secret;

const BACKEND: &str = "aws-sm";

/// Serves `aws-sm://<name-or-arn>[#json-field][?version-stage=S|?version-id=V]` from AWS
/// Secrets Manager.
///
/// - Without `#field`, the whole secret string is the value.
/// - With `#field`, the secret string must be a JSON object (the console's key/value
///   secrets) and the field must hold a string.
/// - A binary secret is accepted when it is UTF-8 text.
///
/// Region, credentials and endpoint come from the SDK's standard chain: `AWS_REGION`,
/// `AWS_PROFILE` and the shared config files, environment credentials, web identity, ECS and
/// IMDS, and `AWS_ENDPOINT_URL`. The builder methods override them in code. Signing and the
/// credential chain are the SDK's own. The SDK's retries are turned off: the
/// [`Registry`](crate::Registry) retries transient failures itself, within the deadline.
///
/// ```no_run
/// use sentry_secrets::{AwsSecretsManagerProvider, Registry};
///
/// let mut registry = Registry::with_builtin();
/// registry.register(AwsSecretsManagerProvider::new().region("eu-west-1"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct AwsSecretsManagerProvider {
    region: Option<String>,
    endpoint_url: Option<String>,
    profile: Option<String>,
    credentials: Option<StaticCredentials>,
}

#[derive(Debug, Clone)]
struct StaticCredentials {
    access_key_id: String,
    secret_access_key: SecretString,
}

impl AwsSecretsManagerProvider {
    /// A provider using the standard AWS configuration chain.
    pub fn new() -> Self {
        AwsSecretsManagerProvider::default()
    }

    /// Uses `region` instead of the one from the environment or profile.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends requests to `url` (a VPC endpoint, LocalStack, moto) instead of the regional
    /// endpoint. `AWS_ENDPOINT_URL` does the same from the environment.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses the named profile of the shared config files.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Uses these static credentials instead of the credential chain (tests, local stacks).
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: SecretString,
    ) -> Self {
        self.credentials = Some(StaticCredentials {
            access_key_id: access_key_id.into(),
            secret_access_key,
        });
        self
    }
}

#[derive(Debug, Clone)]
struct Request {
    secret_id: String,
    field: Option<String>,
    version_stage: Option<String>,
    version_id: Option<String>,
}

impl Request {
    fn parse(r: &SecretRef) -> Result<Self, ProviderError> {
        let mut req = Request {
            secret_id: r.location().to_owned(),
            field: r.field().map(str::to_owned),
            version_stage: None,
            version_id: None,
        };
        if req.secret_id.starts_with('-') || req.secret_id.chars().any(char::is_control) {
            return Err(ProviderError::new(
                ProviderErrorKind::BadReference,
                "aws-sm: malformed secret name",
            ));
        }
        for (k, v) in r.options() {
            let slot = match k {
                "version-stage" => &mut req.version_stage,
                "version-id" => &mut req.version_id,
                _ => {
                    return Err(ProviderError::new(
                        ProviderErrorKind::BadReference,
                        format!(
                            "aws-sm: unknown option `{}` (known: version-stage, version-id)",
                            super::reference::shown(k)
                        ),
                    ));
                }
            };
            if v.is_empty() {
                return Err(ProviderError::new(
                    ProviderErrorKind::BadReference,
                    format!("aws-sm: option `{}` is empty", super::reference::shown(k)),
                ));
            }
            *slot = Some(v.to_owned());
        }
        Ok(req)
    }
}

impl SecretProvider for AwsSecretsManagerProvider {
    fn scheme(&self) -> &str {
        "aws-sm"
    }

    fn fetch(&self, reference: &SecretRef, ctx: &FetchContext) -> Result<Fetched, ProviderError> {
        let request = Request::parse(reference)?;
        let settings = self.clone();
        let timeout = ctx.request_timeout();
        let value =
            super::runtime::block_on(BACKEND, ctx, move || get_secret(settings, request, timeout))?;
        Ok(Fetched::new(value))
    }
}

async fn get_secret(
    settings: AwsSecretsManagerProvider,
    req: Request,
    timeout: Duration,
) -> Result<SecretString, ProviderError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(timeout)
                .operation_attempt_timeout(timeout)
                .operation_timeout(timeout)
                .build(),
        )
        .retry_config(RetryConfig::disabled());
    if let Some(region) = settings.region {
        loader = loader.region(Region::new(region));
    }
    if let Some(url) = settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(profile) = settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(c) = settings.credentials {
        loader = loader.credentials_provider(Credentials::new(
            c.access_key_id,
            c.secret_access_key.expose_secret(),
            None,
            None,
            "sentry-secrets",
        ));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return Err(ProviderError::new(
            ProviderErrorKind::Config,
            "aws-sm: no region (set AWS_REGION, a profile region, or use an ARN with .region())",
        ));
    }
    let client = aws_sdk_secretsmanager::Client::new(&config);
    let mut output = client
        .get_secret_value()
        .secret_id(&req.secret_id)
        .set_version_stage(req.version_stage)
        .set_version_id(req.version_id)
        .send()
        .await
        .map_err(map_error)?;

    let text = match (output.secret_string.take(), output.secret_binary.take()) {
        (Some(s), _) => s,
        (None, Some(blob)) => String::from_utf8(blob.into_inner()).map_err(|e| {
            e.into_bytes().zeroize();
            ProviderError::new(
                ProviderErrorKind::Malformed,
                "aws-sm: the binary secret is not UTF-8 text",
            )
        })?,
        (None, None) => {
            return Err(ProviderError::new(
                ProviderErrorKind::Malformed,
                "aws-sm: the answer holds neither a string nor a binary secret",
            ));
        }
    };
    match req.field {
        None if text.is_empty() => Err(ProviderError::new(
            ProviderErrorKind::Malformed,
            "aws-sm: the secret is empty",
        )),
        None => Ok(into_secret(text)),
        Some(field) => {
            let parsed = serde_json::from_str::<Map<String, Value>>(&text);
            let mut text = text;
            text.zeroize();
            match parsed {
                Ok(object) => super::json::take_field(object, Some(&field)),
                // The serde error may quote the input: it is dropped, not kept as a source.
                Err(_) => Err(ProviderError::new(
                    ProviderErrorKind::Malformed,
                    format!(
                        "aws-sm: #{} was given but the secret is not a JSON object",
                        super::reference::shown(&field)
                    ),
                )),
            }
        }
    }
}

/// Maps an SDK error to a kind and a value-free source. SDK errors are never kept: a
/// `ResponseError` holds the raw response, body included.
fn map_error(e: SdkError<GetSecretValueError>) -> ProviderError {
    let make = |kind: ProviderErrorKind, detail: String| {
        ProviderError::new(kind, format!("aws-sm: {detail}"))
            .with_source(BackendDetail::new(BACKEND, detail))
    };
    match &e {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let code = se.err().code().unwrap_or("").to_owned();
            let kind = match code.as_str() {
                "ResourceNotFoundException" => ProviderErrorKind::NotFound,
                "AccessDeniedException"
                | "UnrecognizedClientException"
                | "InvalidClientTokenId"
                | "InvalidSignatureException"
                | "IncompleteSignature"
                | "ExpiredTokenException"
                | "DecryptionFailure" => ProviderErrorKind::Forbidden,
                "ThrottlingException"
                | "TooManyRequestsException"
                | "RequestLimitExceeded"
                | "ServiceUnavailable"
                | "InternalServiceError"
                | "InternalFailure" => ProviderErrorKind::Transient,
                "InvalidParameterException" | "ValidationException" => {
                    ProviderErrorKind::BadReference
                }
                _ => match status {
                    401 | 403 => ProviderErrorKind::Forbidden,
                    404 => ProviderErrorKind::NotFound,
                    429 | 500..=599 => ProviderErrorKind::Transient,
                    _ if code.is_empty() => ProviderErrorKind::Malformed,
                    _ => ProviderErrorKind::Other,
                },
            };
            // Error codes are identifiers chosen by the service; keep only a safe shape.
            let code = if !code.is_empty()
                && code.len() <= 64
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_')
            {
                code
            } else {
                "no error code".to_owned()
            };
            make(kind, format!("HTTP {status}, {code}"))
        }
        SdkError::TimeoutError(_) => make(ProviderErrorKind::Timeout, "request timed out".into()),
        SdkError::DispatchFailure(d) if d.is_timeout() => {
            make(ProviderErrorKind::Timeout, "request timed out".into())
        }
        SdkError::DispatchFailure(d) if d.is_user() => make(
            ProviderErrorKind::Config,
            "the request could not be sent (check the endpoint URL)".into(),
        ),
        // The SDK reports a credential chain that found nothing as an "other" dispatch
        // failure: a configuration problem, never retried.
        SdkError::DispatchFailure(_) if is_credentials_error(&e) => make(
            ProviderErrorKind::Config,
            "no AWS credentials (environment, profile, web identity or instance role)".into(),
        ),
        SdkError::DispatchFailure(d) if d.is_io() || d.is_other() => make(
            ProviderErrorKind::Unreachable,
            "cannot reach the service".into(),
        ),
        SdkError::DispatchFailure(_) => {
            // Credential resolution failures arrive here too.
            make(
                ProviderErrorKind::Config,
                "the request could not be sent (no credentials?)".into(),
            )
        }
        SdkError::ResponseError(r) => make(
            ProviderErrorKind::Malformed,
            format!(
                "the answer (HTTP {}) is not what Secrets Manager sends",
                r.raw().status().as_u16()
            ),
        ),
        SdkError::ConstructionFailure(_) => make(
            ProviderErrorKind::Config,
            "the request could not be built (region, endpoint or credentials)".into(),
        ),
        _ => make(ProviderErrorKind::Other, "unexpected SDK error".into()),
    }
}

/// Whether a credentials error is somewhere in `err`'s source chain.
fn is_credentials_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.downcast_ref::<aws_credential_types::provider::error::CredentialsError>()
            .is_some()
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(s: &str) -> Result<Request, ProviderError> {
        Request::parse(&SecretRef::parse(s).unwrap().unwrap())
    }

    #[test]
    fn parses_references() {
        let r = req("aws-sm://prod/sentry#auth_token?version-stage=AWSPREVIOUS").unwrap();
        assert_eq!(r.secret_id, "prod/sentry");
        assert_eq!(r.field.as_deref(), Some("auth_token"));
        assert_eq!(r.version_stage.as_deref(), Some("AWSPREVIOUS"));
        let arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/sentry-AbCdEf";
        assert_eq!(req(&format!("aws-sm://{arn}")).unwrap().secret_id, arn);
    }

    #[test]
    fn refuses_bad_references() {
        for s in [
            "aws-sm://x?stage=AWSCURRENT",
            "aws-sm://x?version-id=",
            "aws-sm://-x",
        ] {
            assert_eq!(
                req(s).unwrap_err().kind(),
                ProviderErrorKind::BadReference,
                "{s}"
            );
        }
    }
}
