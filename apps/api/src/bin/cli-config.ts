import { ConfigError, loadConfig, type Config } from '@sauti/config';

/**
 * The configuration for a command-line tool: on a configuration mistake the message goes to stderr
 * and the answer is null (the tool then exits with code 2); any other error is thrown.
 */
export function loadCliConfig(): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
}
