// A Blob (or File) as a data: URL: how the page shows what it fetched signed in (the content
// policy allows data: images), and how a form sends a file (its base64 after the comma).

export function dataUrlOf(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
