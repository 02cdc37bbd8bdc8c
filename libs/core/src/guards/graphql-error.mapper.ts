import { type HttpException, IntrinsicException } from '@nestjs/common';
import type { ClientCertErrorCode } from '../errors/client-cert-error-code';
import type { ClientCertErrorBody } from './http-error.mapper';

/** The `extensions` of a refused GraphQL field. */
export interface ClientCertGraphQLExtensions {
  /** The module's stable code, as in an HTTP refusal's body. */
  readonly code: ClientCertErrorCode;
}

/**
 * What a refused GraphQL field throws. Not an `HttpException`: @nestjs/apollo would rewrite one
 * into its generic UNAUTHENTICATED / FORBIDDEN / INTERNAL_SERVER_ERROR codes. graphql-js copies
 * an error's `extensions` into the GraphQL error, so the response carries
 * `extensions.code` = the module's stable code on every server, without the core importing
 * `graphql`. An `IntrinsicException`, so Nest does not log a refusal as an application error
 * (the decision log has it).
 */
export class ClientCertGraphQLError extends IntrinsicException {
  override readonly name = 'ClientCertGraphQLError';
  readonly extensions: ClientCertGraphQLExtensions;
  /**
   * The HTTP status Mercurius answers with when this is the operation's only error and there is
   * no data. (@nestjs/apollo answers 200 whenever execution ran, GraphQL-over-HTTP style.)
   */
  readonly statusCode: number;

  constructor(body: ClientCertErrorBody) {
    super(body.error);
    this.extensions = { code: body.code };
    this.statusCode = body.statusCode;
    // Servers in development show `stack` in the response: a refusal is no bug, so no frames.
    this.stack = `${this.name}: ${body.error} (${body.code})`;
  }
}

/**
 * The GraphQL form of a refusal that `toHttpException` made (one table of codes and statuses,
 * one place that logs bugs): same code, same status.
 */
export function toGraphQLRefusal(exception: HttpException): ClientCertGraphQLError {
  return new ClientCertGraphQLError(exception.getResponse() as ClientCertErrorBody);
}
