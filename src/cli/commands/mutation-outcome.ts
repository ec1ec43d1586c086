/**
 * A mutation's answer: its payload (with the Operation that follows the change), or one of the
 * gateway's typed errors as a one-line failure with its own exit code (output.ts).
 */
import type { CommandErrorFragment, OperationFieldsFragment } from '../../../client/index.ts';
import { CliFailure, exitCodes } from './output.ts';

type Answer = { __typename?: string } & Partial<CommandErrorFragment>;

const codeOf: Record<string, number> = {
  ValidationError: exitCodes.invalid,
  NotFoundError: exitCodes.failed,
  UnknownManagementClusterError: exitCodes.failed,
  ConflictError: exitCodes.conflict,
  UpgradeBlockedError: exitCodes.conflict,
  ForbiddenError: exitCodes.forbidden,
  UnavailableError: exitCodes.unavailable,
  ManagementClusterUnavailableError: exitCodes.unavailable,
};

/** The answer when it is not an error; a typed error throws its CliFailure. */
export function payloadOf<T extends object>(answer: T): Exclude<T, CommandErrorFragment> {
  const a = answer as Answer;
  if (a.message === undefined || a.__typename === undefined) return answer as never;
  throw errorFailure(a as CommandErrorFragment);
}

/** "invalid input: message (path: why; path: why)", "conflict: …", and so on. */
export function errorFailure(error: CommandErrorFragment): CliFailure {
  // A field's message the error's own message already says is named by its path alone.
  const said = (text: string) => error.message.includes(text);
  const details: string[] = [];
  if (error.__typename === 'ValidationError')
    details.push(...error.fields.map((f) => (said(f.message) ? f.path : `${f.path}: ${f.message}`)));
  if (error.__typename === 'UpgradeBlockedError')
    details.push(...error.blockers.map((b) => (said(b.message) ? b.code : `${b.code}: ${b.message}`)));
  const prefix: Record<string, string> = {
    ValidationError: 'invalid',
    NotFoundError: 'not found',
    ConflictError: 'conflict',
    UpgradeBlockedError: 'upgrade blocked',
    ForbiddenError: 'forbidden',
    UnavailableError: 'unavailable',
    ManagementClusterUnavailableError: 'unavailable',
  };
  const head = prefix[error.__typename] ? `${prefix[error.__typename]}: ${error.message}` : error.message;
  const text = details.length > 0 ? `${head} (${details.join('; ')})` : head;
  return new CliFailure(text, codeOf[error.__typename] ?? exitCodes.failed);
}

/** The operation a payload carries. */
export function operationOf(payload: {
  operation?: OperationFieldsFragment | null;
}): OperationFieldsFragment {
  if (!payload.operation) throw new CliFailure('the gateway answered without an operation', exitCodes.failed);
  return payload.operation;
}
