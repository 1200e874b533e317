// A failure message announced to screen readers (role="alert"), or nothing when there is none.
export function ErrorAlert({ message, id }: { message: string | null | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p class="error-text" role="alert" id={id}>
      {message}
    </p>
  );
}
